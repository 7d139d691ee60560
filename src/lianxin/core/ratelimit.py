"""Fixed-window rate limits on the cache that every worker shares, by client address or any key.

Two rules make a limit hold on a real deployment (nginx in front, several gunicorn workers):

* The counter lives in a shared cache: the database cache by default (its table is made by
  ``migrate``), Redis when ``REDIS_URL`` is set; one atomic increment per hit on either, so
  ``limit`` hits pass in a window however many workers share the count.
* The client is the real one: ``X-Forwarded-For`` is believed only when the peer itself is in
  ``LIANXIN_TRUSTED_PROXIES`` (default: nobody, so ``REMOTE_ADDR`` decides). The chain is read
  from the right and the first hop that is not a trusted proxy is the client, so whatever a
  client writes into the header itself (the left part) is never taken for its address.

django-axes uses :func:`client_address` too (``AXES_CLIENT_IP_CALLABLE``), so a lock-out and a
rate limit name the same address.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest
from python_ipware.modern.parsers import parse_ip, split_proxy_chain

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# INCR, and a TTL only on the first hit of a window: one atomic step on Redis.
_REDIS_HIT = """
local count = redis.call('INCR', KEYS[1])
if redis.call('TTL', KEYS[1]) < 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries)


def _trusted(ip: IpAddress, networks: tuple[Network, ...]) -> bool:
    return any(ip.version == net.version and ip in net for net in networks)


def client_address(request: HttpRequest) -> str:
    """The client's IP address: ``REMOTE_ADDR`` unless a trusted proxy forwarded the request.

    ``""`` when even ``REMOTE_ADDR`` is no IP address (axes and the audit store that as null).
    """
    peer = parse_ip(request.META.get("REMOTE_ADDR") or "")
    if peer is None:
        return ""
    networks = _networks(tuple(getattr(settings, "LIANXIN_TRUSTED_PROXIES", ())))
    if not networks or not _trusted(peer, networks):
        return str(peer)
    chain = split_proxy_chain(request.META.get("HTTP_X_FORWARDED_FOR", "")) or []
    if not chain:
        real = parse_ip(request.META.get("HTTP_X_REAL_IP", ""))
        return str(real or peer)
    for hop in reversed(chain):
        if not _trusted(hop, networks):
            return str(hop)
    return str(chain[0])  # every hop is one of our proxies: the farthest is the client


def _address_bucket(address: str) -> str:
    """IPv6 clients are counted per /64: one home or phone gets a whole /64 to rotate through."""
    ip = parse_ip(address)
    if isinstance(ip, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return address


def _cache_key(scope: str, key: str) -> str:
    # Keyed hash: phone numbers and user ids never sit in the cache table in clear.
    digest = hmac.new(settings.SECRET_KEY.encode(), key.encode(), hashlib.sha256).hexdigest()
    return f"ratelimit:{scope}:{digest[:40]}"


def _cache():
    return caches[getattr(settings, "LIANXIN_RATELIMIT_CACHE", "default")]


def hit(*, scope: str, key: str, window: int) -> int:
    """Count one hit on ``key`` in ``scope``; return the hits in the current window, this one in."""
    cache, name = _cache(), _cache_key(scope, key)
    if isinstance(cache, RedisCache):
        made = cache.make_and_validate_key(name)
        client = cache._cache.get_client(made, write=True)
        return int(client.eval(_REDIS_HIT, 1, made, window))
    for _attempt in range(5):
        cache.add(name, 0, window)
        try:
            return cache.incr(name)
        except ValueError:  # the window ended between add and incr: start the next one
            continue
    raise RuntimeError(f"rate limit {scope}: the counter keeps expiring")


def hits(*, scope: str, key: str) -> int:
    """The hits counted on ``key`` in the current window, without counting one."""
    return int(_cache().get(_cache_key(scope, key)) or 0)


def key_rate_limited(*, scope: str, key: str, limit: int, window: int) -> bool:
    """Count one hit on an arbitrary key (a phone number, a user id); True past ``limit``."""
    return hit(scope=scope, key=key, window=window) > limit


def client_bucket(request: HttpRequest) -> str:
    """The key a client address is counted under (its /64 for IPv6)."""
    return _address_bucket(client_address(request))


def rate_limited(request: HttpRequest, *, scope: str, limit: int, window: int) -> bool:
    """Count one hit for this client address in ``scope``; True past ``limit`` in ``window`` s."""
    return key_rate_limited(scope=scope, key=client_bucket(request), limit=limit, window=window)
