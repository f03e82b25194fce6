"""Alembic environment: the SQLAlchemy models are the schema, migrations follow them.

The database URL comes from the Alembic config (set by `terrain-server migrate`) or, when
Alembic is run by hand, from the server's settings.
"""

from typing import Any

from alembic import context
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection

from server.db.models import Base
from server.settings import get_settings

#: Bookkeeping tables that live beside the schema but are not part of the models.
MIGRATION_TABLES = {"alembic_version", "schema_migration_log"}

config = context.config
target_metadata = Base.metadata


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    return not (type_ == "table" and name in MIGRATION_TABLES)


def record_step(*, ctx: Any, step: Any, heads: Any, run_args: Any) -> None:
    """Log each applied or reverted revision with its time, for `migrate status`."""
    if step.is_stamp:
        return
    revision = step.up_revision_id
    ctx.connection.execute(
        text(
            "INSERT INTO schema_migration_log (revision, direction, applied_at) "
            "VALUES (:revision, :direction, now())"
        ),
        {"revision": revision, "direction": "upgrade" if step.is_upgrade else "downgrade"},
    )


def ensure_log_table(connection: Connection) -> None:
    connection.execute(
        text(
            "CREATE TABLE IF NOT EXISTS schema_migration_log ("
            " id BIGSERIAL PRIMARY KEY,"
            " revision VARCHAR(64) NOT NULL,"
            " direction VARCHAR(10) NOT NULL,"
            " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
        )
    )
    connection.commit()


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url") or get_settings().database_url,
        target_metadata=target_metadata,
        literal_binds=True,
        include_name=include_name,
        compare_type=True,
        compare_server_default=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    url = config.get_main_option("sqlalchemy.url") or get_settings().database_url
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            ensure_log_table(connection)
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                include_name=include_name,
                compare_type=True,
                compare_server_default=True,
                transaction_per_migration=True,
                on_version_apply=record_step,
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
