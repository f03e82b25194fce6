"""Payments tests: the real `stripe` library pointed at the local stand-in, a local SMTP
server for e-mail, the app on the run's PostgreSQL, and the real worker loop (helpers in
`support.py`)."""

from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller

from server.settings import Settings
from tests.server.services.support import Mailbox, free_port, payment_settings
from tests.stripe_standin import StripeStandin


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    box, port = Mailbox(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


@pytest.fixture
def standin() -> Iterator[StripeStandin]:
    with StripeStandin.running() as running:
        yield running


@pytest.fixture
def settings(settings: Settings, standin: StripeStandin, mailbox: tuple[Mailbox, int]) -> Settings:
    return payment_settings(settings, standin, mailbox[1])
