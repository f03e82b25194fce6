"""When the desktop's API client tries a request again, and how long it waits first.

Retries happen only where repeating cannot do a thing twice:

- any request whose connection could not be opened (it never reached the server);
- a *repeatable* request after a timeout, a dropped connection or 502/503/504, when the
  server may or may not have done it: reads (GET, HEAD), writes the server makes idempotent
  (a request with an `Idempotency-Key`, sync push by mutation id, an upload by content hash)
  and calls marked `idempotent=True` whose repeat changes nothing;
- a request with an `Idempotency-Key` answered 409 `idempotency_key_in_use` (its first try
  is still running on the server), after the `Retry-After` the server asked for.

Anything else fails at once with `ApiUnavailable` rather than risk a double (e.g. a second
account registration). Waits grow exponentially (`tenacity` does the looping).
"""

from collections.abc import Callable
from typing import TYPE_CHECKING

from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
)

if TYPE_CHECKING:  # imported where a request is made: ~0.1 s off every start-up
    import httpx

#: Answers of a server (or a proxy before it) that is down or busy for now.
RETRYABLE_STATUS = {502, 503, 504}
#: Methods HTTP defines as idempotent (RFC 9110 §9.2.2): a repeat has the effect of one.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
#: The code of a 409 whose request, with the same key, is still running on the server.
KEY_IN_USE = "idempotency_key_in_use"
#: The longest `Retry-After` honoured, in seconds (a longer one waits this long).
LONGEST_RETRY_AFTER = 10.0


class ApiUnavailable(Exception):
    """The server could not be reached, or stayed unavailable, after the retries (or the
    request could not safely be repeated)."""


class BusyAnswer(ApiUnavailable):
    """One try answered 502/503/504."""


class ApiRefused(Exception):
    """The server's considered refusal (a 4xx) with its error code."""

    def __init__(
        self, status: int, code: str, message: str, retry_after: float | None = None
    ) -> None:
        super().__init__(f"{message} ({code})")
        self.status = status
        self.code = code
        self.message = message
        #: Seconds the server asked to wait before trying again (`Retry-After`), if it did.
        self.retry_after = retry_after


def refusal(response: "httpx.Response") -> ApiRefused:
    """The server's `{"error", "code"}` answer (and its `Retry-After`) as an exception."""
    try:
        body = response.json()
        code, message = str(body.get("code")), str(body.get("error"))
    except ValueError:
        code, message = "unknown", response.text[:200]
    try:
        retry_after = min(float(response.headers["retry-after"]), LONGEST_RETRY_AFTER)
    except (KeyError, ValueError):
        retry_after = None
    return ApiRefused(response.status_code, code, message, retry_after)


def worth_retrying(error: BaseException, *, repeatable: bool, keyed: bool) -> bool:
    """Whether a try that failed with `error` may be made again (see the module's rules)."""
    import httpx

    # Failures before the request was sent: repeating it is safe whatever it is.
    if isinstance(error, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
        return True
    if isinstance(error, httpx.TransportError | BusyAnswer):
        return repeatable
    return keyed and isinstance(error, ApiRefused) and error.code == KEY_IN_USE


def policy(
    tries: int, backoff: float, sleep: Callable[[float], None], *, repeatable: bool, keyed: bool
) -> Retrying:
    """Up to `tries` tries of one request, waiting `backoff`, then twice that, and so on (or
    what the server asked for, if longer); `keyed`: it carries an `Idempotency-Key`."""
    growing = wait_exponential(multiplier=backoff)

    def pause(state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        asked = error.retry_after if isinstance(error, ApiRefused) else None
        return max(growing(state), asked or 0.0)

    return Retrying(
        stop=stop_after_attempt(tries),
        wait=pause,
        sleep=sleep,
        retry=retry_if_exception(
            lambda error: worth_retrying(error, repeatable=repeatable or keyed, keyed=keyed)
        ),
    )
