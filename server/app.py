"""The FastAPI application. Stateless: everything shared lives in PostgreSQL."""

from fastapi import FastAPI

from server.api import auth, health, sessions, table_library, tables
from server.clock import Clock, SystemClock
from server.db.engine import engine_for, session_factory
from server.errors import install_error_handlers
from server.settings import Settings, get_settings


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(title="Terrain Builder server", version="0.1.0")
    engine = engine_for(settings.database_url, settings.database_connect_timeout)
    app.state.settings = settings
    app.state.clock = clock or SystemClock()
    app.state.engine = engine
    app.state.sessionmaker = session_factory(engine)
    install_error_handlers(app)
    for router in (
        health.router,
        auth.router,
        sessions.router,
        tables.router,
        table_library.router,
    ):
        app.include_router(router)
    return app
