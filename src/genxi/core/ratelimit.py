"""The client's address (through trusted proxies only) and limits counted in the shared cache.

`client_ip` is the one answer to "who is asking" for rate limits and audit events alike:
`X-Forwarded-For` is believed only when the connection comes from a proxy listed in
`GENXI_TRUSTED_PROXIES`, and then only as far back as the chain stays within that list.
`hit` counts atomically (`cache.add` then `cache.incr`), so concurrent requests are
never lost between a read and a write. See decisions/0009.

While the shared cache cannot be reached (`core/cache.py`) nothing can be counted, and `hit`
refuses: a limit fails closed, so an outage of Redis never opens the public forms to a
flood. `core.cache.unavailable()` tells a refusal for that reason from a used-up limit.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache

from .cache import CacheUnavailable

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(e, strict=False) for e in entries)


def trusted_proxies() -> tuple[Network, ...]:
    return _networks(tuple(settings.GENXI_TRUSTED_PROXIES))


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [v6]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # v4:port
        value = value.split(":")[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def _is_trusted(address, networks: tuple[Network, ...]) -> bool:
    return any(address in n for n in networks)


def client_ip(request) -> str | None:
    """The address of the client: the peer, or — if the peer is a trusted proxy — the
    right-most address in X-Forwarded-For that is not itself a trusted proxy."""
    peer = _address(request.META.get("REMOTE_ADDR") or "")
    if peer is None:
        return None
    networks = trusted_proxies()
    if not networks or not _is_trusted(peer, networks):
        return str(peer)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    client = peer
    for item in reversed([i for i in forwarded.split(",") if i.strip()]):
        address = _address(item)
        if address is None:  # a garbled hop: trust nothing further left
            break
        client = address
        if not _is_trusted(address, networks):
            break
    return str(client)


def hit(bucket: str, key: str, limit: int, window: int) -> bool:
    """Count one event for `key` in `bucket`; True while the count is within `limit` in
    the current window of `window` seconds (the window starts at the first event)."""
    name = f"genxi:rl:{bucket}:{key}"
    try:
        cache.add(name, 0, window)
        try:
            count = cache.incr(name)
        except ValueError:  # expired between add and incr: this event opens a new window
            cache.add(name, 0, window)
            count = cache.incr(name)
    except CacheUnavailable:
        return False  # nothing can be counted: refuse (fail closed)
    return count <= limit


def count(bucket: str, key: str) -> int:
    """The events counted so far for `key` in `bucket` (0 once the window is over)."""
    return int(cache.get(f"genxi:rl:{bucket}:{key}", 0))
