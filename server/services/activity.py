"""The activity log: sign-ins, registrations, orders, payments, payouts, refunds and admin
actions, each written in the same transaction as the change it describes (so a rolled-back
change leaves no record, and a committed one always has its record).

Most are seen by SQLAlchemy hooks, installed once per process by `install` (the app factory and
the worker call it), so the services that make the changes need not know about the log:

- a bearer token issued: `auth.signed_in`, or `account.registered` when its user is new;
- an order inserted: `order.created`; its status moved to cancelled or fulfilled:
  `order.cancelled` / `order.fulfilled`;
- a payment row: `payment.paid` (a completed card charge), `payment.refused` (a failed one),
  `refund.recorded`, `payout.sent` (a transfer to an artist), `payout.reversed`.

What writes nothing (a failed sign-in; a request that failed with a 500, `server.error`, which
the monitoring queries in docs/DEPLOY.md look for) or changes rows with bulk statements (jobs
parked by the worker, retried by an operator) calls the functions below. The client's address
comes from `server.request_context`; outside a request (worker, CLI) it is empty.
"""

import getpass
import logging
from typing import Any

from sqlalchemy import Connection, Insert, event, insert, inspect, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker
from sqlalchemy.orm.unitofwork import UOWTransaction

from server.db.models import ActivityLog, AuthToken, Order, Payment, User
from server.request_context import client_address

log = logging.getLogger(__name__)
_NEW_USERS = "activity.new_users"
#: Order statuses worth a record of their own (paid and refunded have their payment rows).
_ORDER_MOVES = {"cancelled", "fulfilled"}
_PAYMENT_ACTIONS = {
    ("card", "completed"): "payment.paid",
    ("card", "failed"): "payment.refused",
    ("refund", "completed"): "refund.recorded",
    ("stripe_transfer", "completed"): "payout.sent",
    ("transfer_reversal", "completed"): "payout.reversed",
}
#: What a parked job of these kinds means to an operator; other kinds are `job.failed`.
_PARKED_ACTIONS = {"payout": "payout.failed", "transfer_reversal": "payout.reversal_failed"}


def record(
    db: Session | Connection,
    action: str,
    *,
    user_id: object = None,
    entity: tuple[str, object] | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Write one row in the caller's transaction, with the client's address if in a request."""
    connection = db.connection() if isinstance(db, Session) else db
    connection.execute(
        insert(ActivityLog).values(
            action=action,
            user_id=user_id,
            entity_type=entity[0] if entity else None,
            entity_id=str(entity[1]) if entity else None,
            client_address=client_address(),
            details=details,
        )
    )


def server_error(
    sessions: "sessionmaker[Session]", method: str, route: str, error: str, address: str | None
) -> None:
    """A request answered 500, recorded in a transaction of its own (the request's is gone).

    Best effort: when the database is what failed, the log line is all there is.
    """
    try:
        with sessions() as db:
            db.execute(
                insert(ActivityLog).values(
                    action="server.error",
                    client_address=address,
                    details={"method": method, "route": route, "error": error[:200]},
                )
            )
            db.commit()
    except SQLAlchemyError as exc:
        log.warning("could not record a server error in the activity log: %s", exc)


def failed_sign_in(db: Session, email: str) -> None:
    """A wrong password (or unknown e-mail): nothing else is written, so it is recorded here."""
    user_id = db.scalar(select(User.id).where(User.email == email))
    record(db, "auth.sign_in_failed", user_id=user_id, details={"email": email[:254]})


def job_parked(db: Session, kind: str, job_id: int, payload: dict[str, Any], error: str) -> None:
    """A job gave up after its last attempt (a payout an artist did not get, say)."""
    action = _PARKED_ACTIONS.get(kind, "job.failed")
    user_id = payload.get("artist_id")
    details = {"kind": kind, "error": error[:500], **_ids(payload)}
    record(db, action, user_id=user_id, entity=("job", job_id), details=details)


def job_retried_by_operator(db: Session, job_id: int) -> None:
    details = {"by": _operator(), "via": "terrain-server jobs --retry"}
    record(db, "admin.job_retried", entity=("job", job_id), details=details)


def _operator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (some containers)
        return "unknown"


def _ids(payload: dict[str, Any]) -> dict[str, str]:
    return {k: str(v) for k, v in payload.items() if k.endswith("_id") and k != "artist_id"}


def _after_flush(session: Session, _: UOWTransaction) -> None:
    new_users: set[object] = session.info.setdefault(_NEW_USERS, set())
    new_users.update(o.id for o in session.new if isinstance(o, User))
    for obj in session.new:
        if isinstance(obj, AuthToken):
            registered = obj.user_id in new_users
            action = "account.registered" if registered else "auth.signed_in"
            record(session, action, user_id=obj.user_id, entity=("user", obj.user_id))
        elif isinstance(obj, Order):
            record(
                session,
                "order.created",
                user_id=obj.user_id,
                entity=("order", obj.id),
                details=_loaded(obj, "order_number", "total", "currency"),
            )
        elif isinstance(obj, Payment):
            _payment(session, _loaded(obj, *_PAYMENT_FIELDS))
    for obj in session.dirty:
        if isinstance(obj, Order):
            moved = inspect(obj).attrs.status.history.added
            if moved and moved[0] in _ORDER_MOVES:
                known = _loaded(obj, "user_id", "order_number")
                user_id = known.pop("user_id", None)
                record(
                    session,
                    f"order.{moved[0]}",
                    user_id=user_id,
                    entity=("order", obj.id),
                    details=known,
                )


_PAYMENT_FIELDS = (
    "id",
    "user_id",
    "order_id",
    "order_item_id",
    "amount",
    "currency",
    "payment_method",
    "status",
    "stripe_transfer_id",
    "stripe_refund_id",
    "stripe_reversal_id",
)


def _payment(db: Session | Connection, values: dict[str, Any]) -> None:
    key = (values.get("payment_method"), values.get("status") or "pending")
    action = _PAYMENT_ACTIONS.get(key)  # type: ignore[arg-type]
    if action is None:
        return
    details = {
        k: str(v) for k, v in values.items() if v is not None and k not in ("user_id", "order_id")
    }
    record(
        db,
        action,
        user_id=values.get("user_id"),
        entity=("order", values.get("order_id")),
        details=details,
    )


def _loaded(obj: object, *names: str) -> dict[str, Any]:
    """Attributes already in memory, read without loading anything in the middle of a flush."""
    instance = inspect(obj)
    assert instance is not None
    state = instance.dict
    return {
        name: str(state[name]) if name in ("total", "amount") else state[name]
        for name in names
        if state.get(name) is not None
    }


def _on_execute(state: ORMExecuteState) -> Any:
    """Payouts and reversals are inserted by statement (`ON CONFLICT DO NOTHING`): record the
    ones that really inserted a row."""
    if not state.is_insert or state.bind_mapper is not inspect(Payment):
        return None
    result = state.invoke_statement(execution_options={"preserve_rowcount": True})
    statement = state.statement
    if getattr(result, "rowcount", 0) == 1 and isinstance(statement, Insert):
        params = statement.compile(dialect=state.session.get_bind().dialect).params
        _payment(state.session, {k: params.get(k) for k in _PAYMENT_FIELDS})
    return result


def _forget(session: Session) -> None:
    session.info.pop(_NEW_USERS, None)


def install() -> None:
    """Hook every session of this process (idempotent: the app and worker may both call it)."""
    for name, listener in (
        ("after_flush", _after_flush),
        ("do_orm_execute", _on_execute),
        ("after_commit", _forget),
        ("after_rollback", _forget),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
