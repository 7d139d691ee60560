"""Denied probes: a logged-in user who asks for an object address and gets a 404 is recorded.

Every scoped lookup in every app (``get_object_or_404`` over ``visible_to``/``scope_queryset``,
or a selector's own ``raise Http404``) answers an object outside the user's scope with a 404, so
nothing is revealed. This middleware sees that 404 on its way out of the view and appends one
``scope_denied`` audit row: the actor, the route (``cases:case_detail``) and the address's
parameters (the id asked for), the path with its query string (an id passed as ``?room=12``)
and the client address. No view has to remember it. An id sent in a POST body is not copied
(bodies are not logged: they carry personal data); the route and path are.

Choices, and why:

* **Existence-neutral.** The row is written whether the id exists in another town or not at all,
  and it never says which: the answer to the user is the same 404, and the log (read by county
  admins and supervisors) then tells nothing about objects either. Walking ids is the signal
  whether or not a given id hits; and no second, unscoped query runs on every 404. A 404 on an
  object address for an in-scope reason (a photo not uploaded yet, a link to a deleted record)
  is recorded the same way; the label says "不存在或不在权限内" for that reason.
* **No object data.** Nothing is loaded, so nothing of the object can be written: only the
  route name and the address's parameters.
* **Bounded.** Per user and per ``WINDOW`` seconds (shared cache counter, core.ratelimit),
  the first ``FULL`` probes get a row each (a curious clerk's two or three tries are all
  there); after that a row at the 10th, 100th, 1,000th ... probe carries the running count. A
  crawler walking 10,000 ids in ten minutes writes 5 + 4 = 9 rows, not 10,000.
* **Who.** Logged-in users other than superusers (for a global scope a 404 only means the id
  does not exist). Public views and capability addresses (a ``token`` in the route: the token is
  the permission, not the scope) are not scoped lookups and are left out.
"""

from __future__ import annotations

import logging

from django.http import Http404, HttpRequest

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record

logger = logging.getLogger(__name__)

WINDOW = 600
FULL = 5
SCOPE = "audit.probe"


def _worth_a_row(n: int) -> bool:
    """Each of the first FULL probes in a window, then the 10th, 100th, 1,000th ..."""
    if n <= FULL:
        return True
    while n % 10 == 0:
        n //= 10
    return n == 1


def _address(match) -> str:
    """``cases:case_detail pk=12``: the route and what the address asked for, nothing loaded."""
    return " ".join([match.view_name, *(f"{k}={v}" for k, v in match.kwargs.items())])


def record_probe(request: HttpRequest) -> bool:
    """Append a ``scope_denied`` row for this 404 if it is a probe worth a row; True if written."""
    from lianxin.core import ratelimit

    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    if user is None or not user.is_authenticated or user.is_superuser or match is None:
        return False
    if getattr(match.func, "lianxin_public", False):
        return False
    if any("token" in name for name in match.kwargs):
        return False
    n = ratelimit.hit(scope=SCOPE, key=str(user.pk), window=WINDOW)
    if not _worth_a_row(n):
        return False
    first = next(iter(match.kwargs.values()), "")
    audit_record(
        action=AuditAction.SCOPE_DENIED,
        actor=user,
        target_repr=_address(match)[:200],
        outcome="not_found",
        request=request,
        extra={
            "route": match.view_name,
            "kwargs": {k: str(v)[:64] for k, v in match.kwargs.items()},
            "count_in_window": n,
            "window_seconds": WINDOW,
            "id": str(first)[:64],
        },
    )
    return True


class ScopeProbeMiddleware:
    """Records the 404s views raise (see the module docstring); never changes the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            try:
                record_probe(request)
            except Exception:  # the user still gets their 404, never a 500 from the audit
                logger.exception("audit: could not record a denied probe on %s", request.path)
        return None
