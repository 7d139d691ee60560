"""长辈版 (elder mode): a per-device display preference, remembered in a cookie.

The server reads the cookie and renders ``<html class="lx-elder">`` (base.html), so the
first paint is already in large type and works with JavaScript off. ``lianxin/elder.js``
(loaded synchronously in <head>) mirrors the choice into localStorage and restores the
cookie from it when the cookie was cleared, before the body is painted.

The figures come from MIIT's 《互联网网站适老化通用设计规范》: body text ≥ 18 pt, line
spacing ≥ 1.3, paragraph spacing ≥ 1.3 × line spacing, contrast ≥ 4.5:1, touch targets
≥ 60 × 60 px; ``lianxin/elder.css`` meets them and tests/e2e/test_elder_mode.py measures them.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from lianxin.core.decorators import public_view

COOKIE = "lx_elder"
MAX_AGE = 365 * 24 * 3600  # a year: the elder's own phone keeps the choice


def is_elder(request: HttpRequest) -> bool:
    return request.COOKIES.get(COOKIE) == "1"


def safe_next(request: HttpRequest, candidate: str | None) -> str:
    """The page to go back to: only a path on this site (no open redirect to another host)."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return "/"


@public_view
@require_POST
def elder_mode(request: HttpRequest) -> HttpResponseRedirect:
    """Switch 长辈版 on (``on=1``) or off and go back to the page the switch was on.

    A plain form POST (with the CSRF token), so the switch works without JavaScript; the
    cookie is readable by the page's script on purpose (it carries no secret)."""
    on = request.POST.get("on") == "1"
    response = HttpResponseRedirect(
        safe_next(request, request.POST.get("next") or request.headers.get("referer"))
    )
    response.set_cookie(
        COOKIE,
        "1" if on else "0",
        max_age=MAX_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=False,
    )
    return response
