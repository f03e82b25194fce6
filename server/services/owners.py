"""Who owns tables: an account or an anonymous session, and what their plan allows."""

import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from server.db.models import AnonymousSession, GameTable, User
from server.errors import ApiError
from server.settings import Settings
from terrain_protocol.errors import ErrorCode
from terrain_protocol.plans import TablePlan, UserPlan


@dataclass(frozen=True)
class Owner:
    """The caller as an owner of tables: exactly one of user and session is set."""

    user: User | None = None
    session: AnonymousSession | None = None

    @property
    def user_id(self) -> uuid.UUID | None:
        return self.user.id if self.user else None

    @property
    def session_id(self) -> uuid.UUID | None:
        return self.session.id if self.session else None

    @property
    def plan(self) -> TablePlan:
        if self.user is None:
            return TablePlan.ANON_FREE
        return TablePlan.PRO if self.user.plan == UserPlan.PRO else TablePlan.USER_FREE

    def owns(self, table: GameTable) -> bool:
        if self.user is not None:
            return table.user_id == self.user.id
        return (
            self.session is not None
            and table.session_id == self.session.id
            and (table.user_id is None)
        )

    def tables_filter(self) -> ColumnElement[bool]:
        if self.user is not None:
            return GameTable.user_id == self.user.id
        assert self.session is not None
        return (GameTable.session_id == self.session.id) & GameTable.user_id.is_(None)


def table_limit(plan: TablePlan, settings: Settings) -> int:
    return {
        TablePlan.ANON_FREE: settings.anon_table_limit,
        TablePlan.USER_FREE: settings.free_table_limit,
        TablePlan.PRO: settings.pro_table_limit,
    }[plan]


def lock(db: Session, owner: Owner) -> None:
    """Serialise plan-limited changes per owner by locking the owner's row until commit.

    Concurrent creates for one owner then count active tables one after another, so the
    limit holds however many requests arrive at once. `FOR NO KEY UPDATE`: the owner's other
    writes still check their tables' foreign key meanwhile (`FOR KEY SHARE`); with `FOR
    UPDATE` an edit restamped at commit (see `sync_versions`) could deadlock with a push.
    """
    if owner.user is not None:
        db.execute(select(User.id).where(User.id == owner.user.id).with_for_update(key_share=True))
    else:
        assert owner.session is not None
        db.execute(
            select(AnonymousSession.id)
            .where(AnonymousSession.id == owner.session.id)
            .with_for_update(key_share=True)
        )


def active_table_count(db: Session, owner: Owner) -> int:
    query = select(func.count()).where(owner.tables_filter(), GameTable.status == "active")
    return db.scalar(query) or 0


def ensure_table_slot(db: Session, owner: Owner, settings: Settings) -> None:
    """Refuse with 402 when the owner already holds as many active tables as the plan allows.

    Call after `lock` in the same transaction.
    """
    limit = table_limit(owner.plan, settings)
    if active_table_count(db, owner) >= limit:
        who = "anonymous use" if owner.user is None else f"the {owner.plan.value} plan"
        raise ApiError(
            402,
            ErrorCode.TABLE_LIMIT,
            f"Table limit reached: {who} allows {limit} active tables. "
            "Archive one or upgrade to create more.",
        )
