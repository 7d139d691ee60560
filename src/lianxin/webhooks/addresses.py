"""Where a delivery may go: the SSRF guard of 回传推送.

A county administrator registers a receiver's URL, and the worker then POSTs to it from inside
the deployment's network. Without a guard a URL could aim the worker at the machine itself or
its neighbours (the database, the cache, a cloud metadata service at 169.254.169.254). So, at
registration for a literal address and at every try for what the host name resolves to:

* a public address is allowed;
* a loopback address only where ``LIANXIN_WEBHOOK_ALLOW_LOOPBACK_HTTP`` is on (tests, a
  developer's machine; never production);
* a private address (10/8, 172.16/12, 192.168/16, fc00::/7 …) only inside a network listed in
  ``LIANXIN_WEBHOOK_ALLOWED_NETWORKS``: a county's 12345 platform often sits on the 政务外网;
* link-local (the metadata service), multicast, reserved and unspecified addresses never.

The name is resolved again just before each try, so a DNS answer that changes to an internal
address after registration is refused then. (The connection itself resolves once more; the gap
between the two look-ups is the remaining DNS-rebinding window, documented in
docs/webhooks.md.)
"""

from __future__ import annotations

import ipaddress
import socket
import urllib.parse
from collections.abc import Callable, Iterable

from django.conf import settings

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[..., list]


def _networks(entries: Iterable[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(e.strip(), strict=False) for e in entries if e.strip()]


def address_refusal(ip: IpAddress) -> str:
    """Why a delivery may not go to ``ip`` (English, for the delivery log), or ``""``."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    allowed = _networks(getattr(settings, "LIANXIN_WEBHOOK_ALLOWED_NETWORKS", ()))
    if any(ip.version == net.version and ip in net for net in allowed):
        return ""
    if ip.is_loopback:
        if settings.LIANXIN_WEBHOOK_ALLOW_LOOPBACK_HTTP:
            return ""
        return f"address {ip} is loopback"
    if ip.is_link_local or ip.is_multicast or ip.is_reserved or ip.is_unspecified:
        return f"address {ip} is not routable to a receiver"
    if ip.is_private or not ip.is_global:
        return f"address {ip} is private (not in LIANXIN_WEBHOOK_ALLOWED_NETWORKS)"
    return ""


def literal_refusal(host: str) -> str:
    """For a URL whose host is an IP literal: the refusal, or ``""`` (names pass here)."""
    try:
        ip = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return ""
    return address_refusal(ip)


def url_refusal(url: str, *, resolve: Resolver | None = None) -> str:
    """Resolve the URL's host and check every address it has; ``""`` when all may be reached.

    A name that does not resolve is left to the POST, which logs its own error.
    """
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    refused = literal_refusal(host)
    if refused:
        return refused
    try:
        infos = (resolve or socket.getaddrinfo)(host, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return ""
    for info in infos:
        try:
            ip = ipaddress.ip_address(info[4][0].split("%")[0])
        except ValueError:
            continue
        refused = address_refusal(ip)
        if refused:
            return f"{host}: {refused}"
    return ""
