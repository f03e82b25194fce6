"""Which peers may say who the client is: uvicorn's forwarded-header options from settings.

Behind a load balancer every request arrives from the balancer's address; only its
X-Forwarded-For tells clients apart (and so keeps per-address rate limits per client). From
any other peer the header is a claim anyone can make, so it is ignored: an attacker must not
pick the address their guesses are counted against.
"""

from typing import Any

from server.settings import Settings


def trusted_proxies(settings: Settings) -> list[str]:
    return [entry for entry in settings.trusted_proxies.split(",") if entry]


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """`proxy_headers` and `forwarded_allow_ips` for `uvicorn.run` / `uvicorn.Config`.

    uvicorn's own default trusts 127.0.0.1 (or its FORWARDED_ALLOW_IPS variable); this
    replaces that with exactly `TERRAIN_TRUSTED_PROXIES`, nothing when it is unset.
    """
    proxies = trusted_proxies(settings)
    return {"proxy_headers": bool(proxies), "forwarded_allow_ips": proxies}
