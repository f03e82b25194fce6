"""All server configuration, read once from the environment (or a `.env` file).

Names carry a `TERRAIN_` prefix, except `DATABASE_URL`, which deployment platforms set by that
name.
"""

import ipaddress
from decimal import Decimal
from functools import lru_cache

from limits import parse
from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from terrain_protocol.plans import (
    ANONYMOUS_SESSION_TTL_DAYS,
    DEFAULT_MAX_ASSETS,
    DEFAULT_TABLE_LIMITS,
    TablePlan,
)

DEFAULT_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/terrain"


def normalise_database_url(url: str) -> str:
    """Accept the `postgres://` and `postgresql://` spellings and select the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TERRAIN_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
        validation_alias=AliasChoices("DATABASE_URL", "TERRAIN_DATABASE_URL"),
    )
    #: Seconds to wait for a database connection before answering 503.
    database_connect_timeout: int = 5
    #: Milliseconds a statement waits for a row lock before the request answers 503.
    lock_timeout_ms: int = Field(default=10_000, ge=1)
    #: Database connections of each server process, and so the requests it serves at once
    #: (more wait their turn); `serve --workers N` opens up to N times this many.
    database_pool_size: int = Field(default=10, ge=1, le=200)
    #: Seconds a process reuses a catalogue search's answer (0: never); an asset changed
    #: through another process shows in its searches after at most this long.
    search_cache_seconds: float = Field(default=2.0, ge=0, le=300)
    #: Views of tables and assets are stored in batches this often (reads never write).
    view_count_flush_seconds: float = Field(default=1.0, gt=0)

    token_ttl_days: int = Field(default=30, ge=1)
    session_ttl_days: int = Field(default=ANONYMOUS_SESSION_TTL_DAYS, ge=1)

    anon_table_limit: int = Field(default=DEFAULT_TABLE_LIMITS[TablePlan.ANON_FREE], ge=0)
    free_table_limit: int = Field(default=DEFAULT_TABLE_LIMITS[TablePlan.USER_FREE], ge=0)
    pro_table_limit: int = Field(default=DEFAULT_TABLE_LIMITS[TablePlan.PRO], ge=0)
    max_assets_per_table: int = Field(default=DEFAULT_MAX_ASSETS, ge=1)

    #: Where uploaded models, display meshes and thumbnails are kept (local storage).
    storage_dir: str = "var/storage"
    #: Shared storage instead: `s3://bucket[/prefix]?endpoint=URL&region=NAME` (credentials
    #: from the AWS_* environment), or `file:///path`. Unset: `storage_dir`.
    storage_url: str | None = None
    #: With S3, where files being served are cached and uploads in progress are spooled.
    storage_cache_dir: str = "var/storage-cache"
    max_upload_bytes: int = Field(default=200 * 1024 * 1024, ge=1)
    #: Larger models are refused outright; display meshes are decimated well below this.
    max_upload_triangles: int = Field(default=5_000_000, ge=1)
    display_max_triangles: int = Field(default=40_000, ge=100)
    #: Hard limits on the child process that processes one upload (see docs/DEV_GUIDE.md).
    processing_memory_mb: int = Field(default=4096, ge=256)
    processing_cpu_seconds: int = Field(default=300, ge=1)
    processing_wall_seconds: float = Field(default=600, gt=0)
    #: What a compressed upload (3MF) may unpack to.
    max_decompressed_bytes: int = Field(default=1024 * 1024 * 1024, ge=1024)
    #: How often an idle worker looks for due jobs.
    worker_poll_seconds: float = Field(default=1.0, gt=0)

    #: Bodies of ordinary (JSON) requests; uploads have their own limit.
    max_json_bytes: int = Field(default=2 * 1024 * 1024, ge=1024)

    #: Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (comma-separated
    #: addresses or CIDR networks, e.g. the load balancer's). Unset: none; the peer's own
    #: address is the client's, whatever headers it sends.
    trusted_proxies: str = ""

    #: Where rate-limit counts live, shared by every API process (`redis://127.0.0.1:6379/0`).
    #: Unset: in this process's memory, which `serve` allows only with a single worker.
    rate_limit_storage: str | None = None
    #: Starts every rate-limit key, so deployments (and test runs) can share one Redis.
    rate_limit_prefix: str = "terrain"
    #: Limits as "<count>/<period>" (`limits` notation: "10/minute", "100 per hour").
    #: Failed logins per account from one client address, and per client address; the
    #: owner signing in from another address is never held up by someone else's guesses.
    rate_limit_login_account_address: str = "10/minute"
    rate_limit_login_address: str = "60/minute"
    rate_limit_register_address: str = "20/hour"
    rate_limit_session_address: str = "60/hour"
    #: Library usage records per owner (account or anonymous session).
    rate_limit_usage_owner: str = "120/minute"

    #: Artists keep this share of an item's subtotal unless their account says otherwise.
    default_commission_rate: str = "0.70"

    #: Stripe: the secret API key, the webhook endpoint's signing secret, and where the
    #: `stripe` library sends its calls (unset: Stripe itself). No defaults: without both
    #: secrets every payment route answers 503 `payments_not_configured` and `/ready` says so.
    #: Trying purchases locally against the stand-in means giving its key and a secret
    #: explicitly (docs/ORDERS.md).
    stripe_secret_key: str | None = Field(
        default=None, validation_alias=AliasChoices("STRIPE_SECRET_KEY")
    )
    stripe_webhook_secret: str | None = Field(
        default=None, validation_alias=AliasChoices("STRIPE_WEBHOOK_SECRET")
    )
    stripe_api_base: str | None = Field(
        default=None, validation_alias=AliasChoices("STRIPE_API_BASE")
    )
    #: Seconds one call to Stripe may take before it counts as failed.
    stripe_timeout_seconds: float = Field(default=20.0, gt=0)
    #: How old a webhook's signature timestamp may be (replays of older ones are refused).
    stripe_webhook_tolerance_seconds: int = Field(default=300, ge=1)
    #: Where Checkout sends the buyer afterwards (the desktop follows the order itself).
    checkout_success_url: str = "https://terrain.example/checkout/done"
    checkout_cancel_url: str = "https://terrain.example/checkout/cancelled"
    #: Where an artist returns after Stripe's Connect onboarding pages.
    connect_return_url: str = "https://terrain.example/artists/stripe/done"
    connect_refresh_url: str = "https://terrain.example/artists/stripe/again"
    #: Orders (see docs/ORDERS.md): shipping is a flat fee per order plus one per extra piece,
    #: free from a subtotal; tax is a rate on subtotal plus shipping (0 by default).
    shipping_flat_fee: Decimal = Field(default=Decimal("5.00"), ge=0, decimal_places=2)
    shipping_per_extra_piece: Decimal = Field(default=Decimal("0.50"), ge=0, decimal_places=2)
    shipping_free_from: Decimal = Field(default=Decimal("75.00"), ge=0, decimal_places=2)
    tax_rate: Decimal = Field(default=Decimal("0"), ge=0, le=1)
    #: The Pro plan's monthly price (a Stripe price id instead, when one is set).
    pro_monthly_price: Decimal = Field(default=Decimal("5.00"), ge=0, decimal_places=2)
    stripe_pro_price_id: str | None = None
    #: Payouts, reversals and e-mails that fail are retried after this many seconds, doubled
    #: each time, and parked (visible to admins: `terrain-server jobs`) after so many tries.
    payment_retry_backoff_seconds: float = Field(default=30.0, ge=0)
    payment_max_attempts: int = Field(default=8, ge=1)
    #: Order confirmation e-mail.
    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    smtp_timeout_seconds: float = Field(default=20.0, gt=0)
    mail_from: str = "Terrain Builder <orders@terrain.example>"

    #: The bearer token a Prometheus scraper sends for `/metrics`; unset, `/metrics` answers
    #: 404. At least 16 characters (e.g. `openssl rand -hex 32`).
    metrics_token: SecretStr | None = Field(default=None, min_length=16)
    #: Where each API process of `serve --workers N` keeps its request counts for a scrape to
    #: sum (its `*.db` files are removed at start); unset: a new temporary directory per run.
    metrics_dir: str | None = None

    @field_validator("database_url")
    @classmethod
    def _driver(cls, value: str) -> str:
        return normalise_database_url(value)

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies(cls, value: str) -> str:
        """Each entry must be an address or a network: uvicorn would take a typo for a host
        name that never matches, and the proxy's clients would all share its address."""
        entries = [entry.strip() for entry in value.split(",") if entry.strip()]
        for entry in entries:
            try:
                ipaddress.ip_network(entry, strict=True)
            except ValueError as exc:
                raise ValueError(f"TERRAIN_TRUSTED_PROXIES: {exc}") from None
        return ",".join(entries)

    @field_validator("stripe_secret_key", "stripe_webhook_secret", "stripe_api_base")
    @classmethod
    def _blank_is_unset(cls, value: str | None) -> str | None:
        """`STRIPE_SECRET_KEY=` (empty, as templates leave it) is as unset as no variable."""
        return (value or "").strip() or None

    @property
    def payments_configured(self) -> bool:
        """Both Stripe secrets are given: orders, webhooks and onboarding may run."""
        return bool(self.stripe_secret_key and self.stripe_webhook_secret)

    @field_validator(
        "rate_limit_login_account_address",
        "rate_limit_login_address",
        "rate_limit_register_address",
        "rate_limit_session_address",
        "rate_limit_usage_owner",
    )
    @classmethod
    def _rate(cls, value: str) -> str:
        parse(value)  # a typo fails at start-up, not on the first login
        return value


@lru_cache
def get_settings() -> Settings:
    return Settings()
