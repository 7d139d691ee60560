"""How a delivery is signed, and how a receiver checks it.

Each POST carries three headers:

* ``X-Lianxin-Event-Id``: the delivery's event id (a UUID), the same on every retry and replay,
  so the receiver stores it and ignores a second copy;
* ``X-Lianxin-Timestamp``: Unix seconds when this try was made;
* ``X-Lianxin-Signature``: hex HMAC-SHA256 over ``f"{timestamp}.{body}"`` with the
  subscription's secret (UTF-8 both), the body being the exact bytes received.

A receiver recomputes the HMAC, compares it in constant time and refuses a timestamp too far
from its clock (replayed captures): :func:`verify` does exactly that.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

EVENT_ID_HEADER = "X-Lianxin-Event-Id"
TIMESTAMP_HEADER = "X-Lianxin-Timestamp"
SIGNATURE_HEADER = "X-Lianxin-Signature"
DEFAULT_TOLERANCE = 300  # seconds a receiver should accept between the timestamp and its clock


def encode_body(payload: dict[str, Any]) -> bytes:
    """The payload as sent: compact, keys sorted, UTF-8 (Chinese as is), so every try of one
    delivery sends the same bytes."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def sign(secret: str, timestamp: int, body: bytes) -> str:
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signed_headers(*, secret: str, event_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "Lianxin-Webhooks/1",
        EVENT_ID_HEADER: event_id,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(secret, timestamp, body),
    }


def verify(
    *,
    secret: str,
    timestamp: str,
    body: bytes,
    signature: str,
    now: float,
    tolerance: int = DEFAULT_TOLERANCE,
) -> bool:
    """What a receiver does: a well-formed timestamp within ``tolerance`` seconds of ``now``
    and a signature equal (in constant time) to the one recomputed over the received bytes."""
    try:
        ts = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs(now - ts) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, ts, body), signature or "")
