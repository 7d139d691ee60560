"""htmx: the reporter's full phone on the request page, after a reason (audited, rate-limited)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.views.decorators.http import require_POST

from lianxin.cases import selectors
from lianxin.cases.reveal import reporter_phone_reveal
from lianxin.core.decorators import permission_required
from lianxin.people.services import RevealLimitExceeded


@permission_required("cases.view_case")
@require_POST
def reporter_reveal(request, pk: int):
    """Swap the masked number for the full one; a refused reveal answers the form with its reason
    (422 no reason, 429 too many), one outside the handling line a 403, one out of scope a 404."""
    case = selectors.case_get(user=request.user, pk=pk)
    if not request.user.has_perm("cases.reveal_reporter", case):
        raise PermissionDenied
    try:
        value = reporter_phone_reveal(
            actor=request.user, case=case, reason=request.POST.get("reason", ""), request=request
        )
    except ValidationError as exc:
        return render(
            request,
            "cases/partials/reporter_reveal_form.html",
            {"case": case, "error": exc.messages[0]},
            status=429 if isinstance(exc, RevealLimitExceeded) else 422,
        )
    return render(request, "cases/partials/reporter_revealed.html", {"value": value})
