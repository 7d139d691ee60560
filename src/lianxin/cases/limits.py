"""How often a request may be submitted or rated: one rule for the pages and the API.

The public intake and the evaluation form count per client address (``LIANXIN_CASE_INTAKE_LIMIT``)
and intake also per phone number left (``LIANXIN_CASE_INTAKE_PHONE_LIMIT``): one number must not
flood a grid worker from many addresses, and the evaluation's phone check must not be guessable by
brute force. The API counts in the same buckets, so it is no way around the page's limits.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from lianxin.core.ratelimit import key_rate_limited, rate_limited
from lianxin.core.validators import normalize_phone


def intake_limited(request: HttpRequest, what: str = "intake") -> bool:
    """Count one submission (``what="evaluate"``: one rating) from this address; True past it."""
    limit, window = getattr(settings, "LIANXIN_CASE_INTAKE_LIMIT", (10, 3600))  # per window
    return rate_limited(request, scope=f"cases:{what}", limit=limit, window=window)


def phone_limited(phone: str) -> bool:
    """Count one submission leaving ``phone``; True past the per-number limit."""
    limit, window = settings.LIANXIN_CASE_INTAKE_PHONE_LIMIT
    return key_rate_limited(
        scope="cases:intake-phone", key=normalize_phone(phone), limit=limit, window=window
    )
