"""The wire models both sides share: what the desktop may send is what the server accepts."""

import pytest
from pydantic import ValidationError

from terrain_protocol.auth import LoginRequest, RegisterRequest, normalise_email
from terrain_protocol.plans import DEFAULT_TABLE_LIMITS, TablePlan


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("  Ada@Example.COM ", "ada@example.com"), ("a.b+c@sub.example.org", "a.b+c@sub.example.org")],
)
def test_emails_are_normalised(raw: str, expected: str) -> None:
    assert normalise_email(raw) == expected


@pytest.mark.parametrize("bad", ["", "plain", "a@b", "a b@example.com", "@example.com", "a@@b.com"])
def test_malformed_emails_are_refused(bad: str) -> None:
    with pytest.raises(ValidationError):
        RegisterRequest(email=bad, password="long enough")


def test_register_refuses_fields_it_does_not_know() -> None:
    with pytest.raises(ValidationError, match="role"):
        RegisterRequest.model_validate(
            {"email": "a@example.com", "password": "long enough", "role": "admin"}
        )


def test_login_does_not_judge_password_length() -> None:
    assert LoginRequest(email="a@example.com", password="x").password == "x"


def test_plan_limits_match_the_design() -> None:
    assert DEFAULT_TABLE_LIMITS == {
        TablePlan.ANON_FREE: 3,
        TablePlan.USER_FREE: 3,
        TablePlan.PRO: 10,
    }
