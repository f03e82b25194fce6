"""Accounts, their bearer tokens, and anonymous sessions.

Artists are users with role `artist`; there is no separate artists table.
"""

import uuid
from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from server.db.base import Base, created_at, one_of, updated_at, uuid_pk
from terrain_protocol.plans import Role, UserPlan


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        # Emails are unique case-insensitively: the service lower-cases them and the
        # database refuses any that slipped through in another case.
        CheckConstraint("email = lower(email)", name="email_lower_case"),
        CheckConstraint(one_of("role", [r.value for r in Role]), name="role"),
        CheckConstraint(one_of("plan", [p.value for p in UserPlan]), name="plan"),
        CheckConstraint("commission_rate >= 0 AND commission_rate <= 1", name="commission_rate"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    email: Mapped[str] = mapped_column(String(254), unique=True)
    # Null for accounts brought in by the legacy import: they set a password before signing in.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    display_name: Mapped[str | None] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20), server_default=Role.CUSTOMER.value)
    plan: Mapped[str] = mapped_column(String(20), server_default=UserPlan.USER_FREE.value)
    artist_name: Mapped[str | None] = mapped_column(String(100))
    artist_bio: Mapped[str | None] = mapped_column(Text)
    artist_url: Mapped[str | None] = mapped_column(String(500))
    commission_rate: Mapped[Decimal] = mapped_column(Numeric(5, 4), server_default=text("0.7000"))
    stripe_account_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    stripe_onboarding_complete: Mapped[bool] = mapped_column(server_default=text("false"))
    #: The Stripe customer and subscription of the Pro plan, once the user subscribed.
    stripe_customer_id: Mapped[str | None] = mapped_column(String(255), index=True)
    stripe_subscription_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    created_at: Mapped[datetime] = created_at()
    updated_at: Mapped[datetime] = updated_at()


class AuthToken(Base):
    """A bearer token. Only its SHA-256 is stored, so a database leak yields no usable token."""

    __tablename__ = "auth_tokens"

    id: Mapped[uuid.UUID] = uuid_pk()
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = created_at()
    expires_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class AnonymousSession(Base):
    """Someone using the app without an account; lives 30 days after its last use."""

    __tablename__ = "anonymous_sessions"

    id: Mapped[uuid.UUID] = uuid_pk()
    created_at: Mapped[datetime] = created_at()
    last_seen_at: Mapped[datetime] = mapped_column(server_default=text("now()"))
    expires_at: Mapped[datetime] = mapped_column(index=True)
    claimed_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    claimed_at: Mapped[datetime | None]
