"""Every kind of job this server knows, and a worker context built from settings.

Each kind has its handler, lease, attempts and backoff: uploads, payouts, reversals, e-mail.
"""

from server.db.engine import engine_for, session_factory
from server.jobs.context import WorkerContext
from server.jobs.queue import Claimed
from server.jobs.runner import JobKind
from server.services import (
    activity,
    asset_processing,
    ladder_rebuild,
    order_mail,
    order_payments,
    payouts,
    pro_plan,
    refunds,
)
from server.settings import Settings
from server.storage_factory import storage_for


def _asset_gave_up(job: Claimed, ctx: WorkerContext, error: str) -> None:
    asset_processing.give_up(job, ctx)


def job_kinds(settings: Settings) -> dict[str, JobKind]:
    kinds = [
        JobKind(
            name=asset_processing.KIND,
            handler=asset_processing.process,
            lease=asset_processing.lease(settings),
            max_attempts=3,
            gave_up=_asset_gave_up,
        ),
        JobKind(
            name=ladder_rebuild.KIND,
            handler=ladder_rebuild.build,
            lease=asset_processing.lease(settings),
            max_attempts=3,
        ),
        *(
            JobKind(
                name=name,
                handler=handler,
                lease=payouts.PAYOUT_LEASE,
                max_attempts=settings.payment_max_attempts,
                backoff_s=settings.payment_retry_backoff_seconds,
            )
            for name, handler in (
                (order_payments.PAYOUT, payouts.pay_out),
                (refunds.REVERSAL, payouts.reverse),
                (order_payments.ORDER_EMAIL, order_mail.send_confirmation),
                (pro_plan.CHECK_KIND, pro_plan.check_subscription),
            )
        ),
    ]
    return {kind.name: kind for kind in kinds}


def worker_context(settings: Settings) -> WorkerContext:
    activity.install()  # payouts sent and jobs parked go to the activity log
    engine = engine_for(
        settings.database_url, settings.database_connect_timeout, settings.lock_timeout_ms
    )
    return WorkerContext(settings, session_factory(engine), storage_for(settings))
