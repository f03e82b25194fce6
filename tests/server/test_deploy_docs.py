"""docs/DEPLOY.md names every environment variable the server reads, so an operator never has
to read `server/settings.py` to learn what can (or must) be configured."""

import re
from pathlib import Path

from pydantic import AliasChoices

from server.settings import Settings

DEPLOY = Path(__file__).resolve().parents[2] / "docs" / "DEPLOY.md"


def environment_names(settings: type[Settings], field: str) -> list[str]:
    """The names a setting is read from; the guide must show at least one of them."""
    alias = settings.model_fields[field].validation_alias
    if isinstance(alias, AliasChoices):
        return [str(choice) for choice in alias.choices]
    if isinstance(alias, str):
        return [alias]
    return [f"{settings.model_config.get('env_prefix', '')}{field}".upper()]


def undocumented(settings: type[Settings]) -> list[str]:
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", DEPLOY.read_text()))
    return [
        " or ".join(names)
        for field in settings.model_fields
        if not set(names := environment_names(settings, field)) & documented
    ]


def test_every_setting_is_in_the_deployment_guide() -> None:
    assert undocumented(Settings) == [], "add these to docs/DEPLOY.md's table"


def test_the_stripe_keys_are_documented_by_their_own_names() -> None:
    names = [environment_names(Settings, f) for f in ("stripe_secret_key", "stripe_webhook_secret")]
    assert names == [["STRIPE_SECRET_KEY"], ["STRIPE_WEBHOOK_SECRET"]]
    assert "`STRIPE_API_BASE`" in DEPLOY.read_text()


def test_a_setting_added_without_documentation_is_caught() -> None:
    class Extended(Settings):
        surely_undocumented_knob: int = 1

    assert undocumented(Extended) == ["TERRAIN_SURELY_UNDOCUMENTED_KNOB"]
