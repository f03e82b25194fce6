"""Legacy users (and the duplicate `artists` table) -> users, keeping their ids.

E-mails are lower-cased; when two legacy accounts (or a legacy account and one already here)
share an address after that, the oldest keeps it and the other is imported under a placeholder
address that cannot receive mail, reported so an administrator can settle it with both people.
"""

import uuid
from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from server.db.models import User
from server.legacy import existing
from server.legacy.context import Context
from server.legacy.ledger import Ledger
from server.legacy.source import Row, fingerprint
from terrain_protocol.plans import Role, UserPlan

_ROLES = {
    "user": Role.CUSTOMER,
    "customer": Role.CUSTOMER,
    "artist": Role.ARTIST,
    "admin": Role.ADMIN,
}
_PLANS = {"free": UserPlan.USER_FREE, "user_free": UserPlan.USER_FREE, "pro": UserPlan.PRO}
_BCRYPT_PREFIXES = ("$2a$", "$2b$", "$2y$")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def placeholder_email(user_id: object) -> str:
    """An address that is unique, obviously not real, and can never receive mail (RFC 2606)."""
    return f"duplicate-{user_id}@legacy.invalid"


def plan_emails(ctx: Context) -> None:
    """Decide every account's address up front, so batches agree on who keeps a shared one."""
    rows = ctx.legacy.all("SELECT id, email, created_at FROM users ORDER BY created_at, id")
    by_address: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_address[normalise_email(row["email"])].append(row)
    taken = {
        email: user_id
        for email, user_id in ctx.db.execute(
            select(User.email, User.id).where(User.email.in_(list(by_address)))
        )
    }
    for address, owners in by_address.items():
        holder = taken.get(address)
        for index, row in enumerate(owners):
            keeps = row["id"] == holder if holder is not None else index == 0
            if keeps:
                ctx.emails[str(row["id"])] = address
                continue
            ctx.emails[str(row["id"])] = placeholder_email(row["id"])
            other = holder if holder is not None and holder != row["id"] else owners[0]["id"]
            ctx.report.note(
                "user",
                row["id"],
                "email_collision",
                f"{row['email']!r} is {address!r} once lower-cased, like account {other}; "
                f"imported as {placeholder_email(row['id'])} (not merged)",
            )


def load_artist_profiles(ctx: Context) -> None:
    for row in ctx.legacy.all("SELECT * FROM artists ORDER BY created_at, id"):
        if row["user_id"] is not None:
            ctx.artist_rows.setdefault(str(row["user_id"]), row)
    ctx.model_owners = {
        str(r["artist_id"]) for r in ctx.legacy.all("SELECT DISTINCT artist_id FROM models")
    }


def _clip(value: str | None, length: int) -> str | None:
    return value[:length] if value else None


def _fields(ctx: Context, row: Row) -> dict[str, Any]:
    user_id = str(row["id"])
    profile = ctx.artist_rows.get(user_id, {})
    role = _ROLES.get(str(row["role"]).lower(), Role.CUSTOMER)
    if role == Role.CUSTOMER and (profile or user_id in ctx.model_owners):
        role = Role.ARTIST
    rate = row["commission_rate"]
    return {
        "email": ctx.emails[user_id],
        "password_hash": row["password_hash"] or None,
        "display_name": _clip(row["display_name"] or profile.get("display_name"), 100),  # type: ignore[arg-type]
        "role": role.value,
        "plan": _PLANS.get(str(row["plan"]).lower(), UserPlan.USER_FREE).value,
        "artist_name": _clip(row["artist_name"] or profile.get("display_name"), 100),  # type: ignore[arg-type]
        "artist_bio": row["artist_bio"] or profile.get("bio"),
        "artist_url": row["artist_url"] or profile.get("website"),
        "commission_rate": (Decimal(rate) / 100).quantize(Decimal("0.0001"))
        if rate is not None
        else Decimal(ctx.settings.default_commission_rate),
        "stripe_account_id": row["stripe_account_id"] or None,
        "stripe_onboarding_complete": bool(row["stripe_onboarding_complete"]),
        "created_at": row["created_at"] or ctx.now,
        "updated_at": row["updated_at"] or ctx.now,
    }


def import_batch(ctx: Context, rows: list[Row]) -> None:
    ledger = Ledger(ctx.db, ctx.report, "user", [str(r["id"]) for r in rows])
    users = existing.by_id(ctx.db, User, [r["id"] for r in rows])
    with ctx.db.no_autoflush:
        for row in rows:
            _import_row(ctx, ledger, users.get(row["id"]), row)
    ledger.flush()
    ctx.db.flush()


def _import_row(ctx: Context, ledger: Ledger, user: User | None, row: Row) -> None:
    legacy_id = str(row["id"])
    profile = ctx.artist_rows.get(legacy_id)
    stamp = fingerprint(row, profile, ctx.emails[legacy_id], legacy_id in ctx.model_owners)
    if ledger.unchanged(legacy_id, stamp):
        return
    fields = _fields(ctx, row)
    if fields["password_hash"] and not fields["password_hash"].startswith(_BCRYPT_PREFIXES):
        ctx.report.note("user", legacy_id, "unknown_password_hash", "not a bcrypt hash: must reset")
        fields["password_hash"] = None
    _check_stripe_account(ctx, row["id"], fields)
    if user is None:
        ctx.db.add(User(id=row["id"], **fields))
    else:
        if user.password_hash and not user.password_hash.startswith(_BCRYPT_PREFIXES):
            del fields["password_hash"]  # upgraded at a sign-in here: newer than the legacy one
        for name, value in fields.items():
            setattr(user, name, value)
    ledger.record(legacy_id, stamp, row["id"])


def _check_stripe_account(ctx: Context, user_id: uuid.UUID, fields: dict[str, Any]) -> None:
    account = fields["stripe_account_id"]
    if account is None:
        return
    owner = ctx.stripe_accounts.get(account) or ctx.db.scalar(
        select(User.id).where(User.stripe_account_id == account)
    )
    if owner is not None and owner != user_id:
        ctx.report.note(
            "user",
            user_id,
            "stripe_account_shared",
            f"Stripe account {account} already belongs to {owner}; left empty here",
        )
        fields["stripe_account_id"] = None
        fields["stripe_onboarding_complete"] = False
        return
    ctx.stripe_accounts[account] = user_id
