"""The FastAPI application. Stateless: everything shared lives in PostgreSQL."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from fastapi import FastAPI

from server.api import (
    admin_jobs,
    artists,
    asset_files,
    assets,
    auth,
    favorites,
    health,
    metrics,
    orders,
    payments,
    ready,
    sessions,
    sets,
    sync,
    table_library,
    tables,
)
from server.api.fast_routes import FastRoutes
from server.body_limit import BodySizeLimit
from server.clock import Clock, SystemClock
from server.db.engine import engine_for, session_factory
from server.db.health_check import DatabaseCheck
from server.db.request_slots import RequestSlots
from server.docs import install_docs
from server.errors import install_error_handlers
from server.metrics import RequestMetrics
from server.nul_guard import NulGuard
from server.rate_limits import RateLimits
from server.request_context import RequestContext
from server.response_headers import NoSniff, NoStoreForCallers
from server.services import activity
from server.services.payments_check import STARTUP_WAIT_S, StripeKeyCheck
from server.services.search_cache import SearchCache
from server.services.view_counts import ViewCounter
from server.settings import Settings, get_settings
from server.startup_gc import freeze_startup_objects
from server.storage_factory import storage_for


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    settings = settings or get_settings()
    engine = engine_for(
        settings.database_url,
        settings.database_connect_timeout,
        settings.lock_timeout_ms,
        settings.database_pool_size,
    )
    views = ViewCounter(engine, settings.view_count_flush_seconds)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        freeze_startup_objects()
        current: Settings = app.state.settings
        wait = min(current.stripe_timeout_seconds, STARTUP_WAIT_S)
        await anyio.to_thread.run_sync(app.state.payments_check.check, current, wait)
        yield
        views.close()  # store the views counted since the last batch
        app.state.database_check.close()

    app = FastAPI(
        title="Terrain Builder server",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served by install_docs from installed files, not a CDN
        redoc_url=None,
    )
    install_docs(app)
    app.state.settings = settings
    app.state.clock = clock or SystemClock()
    app.state.engine = engine
    app.state.sessionmaker = session_factory(engine)
    #: Sessions for reads that need no transaction (see `deps.request_session`).
    app.state.read_sessionmaker = session_factory(
        engine.execution_options(isolation_level="AUTOCOMMIT")
    )
    app.state.search_cache = SearchCache(settings.search_cache_seconds)
    app.state.search_cache.watch(app.state.sessionmaker)
    app.state.request_slots = RequestSlots(settings.database_pool_size)
    app.state.database_check = DatabaseCheck(
        settings.database_url, settings.database_connect_timeout
    )
    app.state.views = views
    app.state.storage = storage_for(settings)
    app.state.rate_limits = RateLimits(settings)
    app.state.payments_check = StripeKeyCheck()
    install_error_handlers(app)
    activity.install()  # the activity log's database hooks

    def body_limit(method: str, path: str) -> int:
        # Read per request so a changed app.state.settings applies at once.
        current: Settings = app.state.settings
        if method == "POST" and path == "/api/library/assets":
            return current.max_upload_bytes + 1024 * 1024  # the file plus its form fields
        return current.max_json_bytes

    # Innermost: the hottest routes without FastAPI's per-request machinery (see the module).
    app.add_middleware(FastRoutes, routes=(*assets.FAST, *tables.FAST, *sync.FAST))
    app.add_middleware(NoSniff)
    app.add_middleware(NoStoreForCallers)
    app.add_middleware(NulGuard)
    app.add_middleware(BodySizeLimit, limit_for=body_limit)  # bounds what NulGuard reads
    app.add_middleware(RequestMetrics)  # requests and latencies for /metrics
    app.add_middleware(RequestContext)  # the client's address for the activity log
    app.add_middleware(health.HealthFirst)  # outermost: /health waits behind nothing
    for router in (
        health.router,
        ready.router,
        auth.router,
        sessions.router,
        tables.router,
        table_library.router,
        assets.router,
        asset_files.router,
        sets.router,
        artists.router,
        favorites.router,
        sync.router,
        orders.router,
        payments.router,
        admin_jobs.router,
        metrics.router,
    ):
        app.include_router(router)
    return app
