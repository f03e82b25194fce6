"""Rate limits on what an attacker or a runaway client can repeat: 429 with Retry-After.

Counts live in the storage `TERRAIN_RATE_LIMIT_STORAGE` names (Redis, e.g.
`redis://127.0.0.1:6379/0`), so every API process sees the same counts. Without it they are
kept in memory, which is right only for a single process: `serve` with several workers uses
the local Redis when one answers, and refuses to start otherwise. Keys carry
`TERRAIN_RATE_LIMIT_PREFIX`, so several deployments (or test runs) can share one Redis. If the
storage cannot be reached the request goes through, logged: a limit protects the service and
must not be what takes it down.
"""

import logging
import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from server.errors import ApiError
from server.settings import Settings
from terrain_protocol.errors import ErrorCode

log = logging.getLogger(__name__)

MEMORY = "memory://"
#: Used by `serve` with several workers when no storage is configured and this Redis answers.
LOCAL_REDIS = "redis://127.0.0.1:6379/0"


def answers(url: str) -> bool:
    """Whether a Redis answers at `url` (within a second)."""
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping())
    except (redis.RedisError, OSError):
        return False


@dataclass(frozen=True)
class Rule:
    """One limit: a name for its keys and the setting that says how many per how long."""

    name: str
    setting: str


#: Failed sign-ins are counted per (account, address) and per address, never per account
#: alone: a stranger's guesses must not lock the owner out from elsewhere (OWASP's lockout
#: guidance). Guessing one account from many addresses is slowed by argon2 and each address's
#: own limit instead.
LOGIN_ACCOUNT_ADDRESS = Rule("login-account-address", "rate_limit_login_account_address")
LOGIN_ADDRESS = Rule("login-address", "rate_limit_login_address")
REGISTER_ADDRESS = Rule("register-address", "rate_limit_register_address")
SESSION_ADDRESS = Rule("session-address", "rate_limit_session_address")
USAGE_OWNER = Rule("usage-owner", "rate_limit_usage_owner")


def storage_url(settings: Settings) -> str:
    return settings.rate_limit_storage or MEMORY


class RateLimits:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        # Short timeouts: a storage that does not answer must not hold up a login.
        storage = storage_from_string(
            storage_url(settings), socket_timeout=1, socket_connect_timeout=1
        )
        assert isinstance(storage, Storage)  # the synchronous kind, for synchronous routes
        self.limiter = MovingWindowRateLimiter(storage)

    def _item(self, rule: Rule) -> RateLimitItem:
        return parse(str(getattr(self.settings, rule.setting)))

    def _keys(self, rule: Rule, key: str) -> tuple[str, str, str]:
        return (self.settings.rate_limit_prefix, rule.name, key)

    def hit(self, rule: Rule, key: str) -> None:
        """Count one more; 429 when that is one too many."""
        item = self._item(rule)
        try:
            allowed = self.limiter.hit(item, *self._keys(rule, key))
        except Exception:  # the storage is down: let the request through
            log.warning("rate limit storage unavailable; %s not counted", rule.name, exc_info=True)
            return
        if not allowed:
            raise self._refusal(rule, item, key)

    def count(self, rule: Rule, key: str) -> None:
        """Count one more without refusing this request (its answer is already decided)."""
        try:
            self.limiter.hit(self._item(rule), *self._keys(rule, key))
        except Exception:
            log.warning("rate limit storage unavailable; %s not counted", rule.name, exc_info=True)

    def check(self, rule: Rule, key: str) -> None:
        """429 when the limit is already reached, without counting this request."""
        item = self._item(rule)
        try:
            allowed = self.limiter.test(item, *self._keys(rule, key))
        except Exception:
            log.warning("rate limit storage unavailable; %s not checked", rule.name, exc_info=True)
            return
        if not allowed:
            raise self._refusal(rule, item, key)

    def _refusal(self, rule: Rule, item: RateLimitItem, key: str) -> ApiError:
        try:
            reset = self.limiter.get_window_stats(item, *self._keys(rule, key)).reset_time
            wait = max(1, math.ceil(reset - time.time()))
        except Exception:
            wait = item.get_expiry()
        return ApiError(
            429,
            ErrorCode.RATE_LIMITED,
            f"Too many attempts; try again in {wait} s.",
            headers={"Retry-After": str(wait)},
        )
