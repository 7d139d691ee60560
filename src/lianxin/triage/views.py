"""The 分派助手's fragments (htmx): at intake, and on a request's page; "我也遇到" and 合并.

Thin: the reads are ``selectors``, the writes ``services``. The intake check is public (the
resident's phone page calls it) and rate-limited; what a resident sees is only nearby requests
by title, day and distance, never a suggestion or anyone's name.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from lianxin.cases.models import Case
from lianxin.core import params
from lianxin.core.decorators import login_required, public_view
from lianxin.core.ratelimit import rate_limited
from lianxin.core.validators import normalize_phone, validate_phone
from lianxin.org.geo import grid_locate
from lianxin.org.models import Unit
from lianxin.triage import selectors, services, workbench
from lianxin.triage.labels import GRID_KINDS


def _limited(request, what: str) -> bool:
    limit, window = getattr(settings, "LIANXIN_TRIAGE_CHECK_LIMIT", (60, 600))
    return rate_limited(request, scope=f"triage:{what}", limit=limit, window=window)


def _coord(data, name: str, low: float, high: float) -> float | None:
    raw = params.get_str(data, name, max_length=20)
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if math.isfinite(value) and low <= value <= high else None


def _place(data) -> tuple[Unit | None, float | None, float | None]:
    """The grid (chosen, or found from the map point) and the point of an intake form."""
    lat, lng = _coord(data, "lat", -90, 90), _coord(data, "lng", -180, 180)
    grid = None
    grid_id = params.get_id(data, "grid")
    if grid_id:
        grid = Unit.objects.filter(pk=grid_id, kind__in=GRID_KINDS, is_active=True).first()
    if grid is None and lat is not None and lng is not None:
        grid = grid_locate(lng=lng, lat=lat)
    return grid, lat, lng


def _text(data) -> str:
    title = params.get_str(data, "title", max_length=80)
    return f"{title} {params.get_str(data, 'description', max_length=2000)}".strip()


@public_view
@require_POST
def intake_check(request):
    """htmx, from the intake form as it is filled: nearby similar requests (everyone) and, for
    staff, the suggested category and unit."""
    if _limited(request, "check"):
        return HttpResponse(status=429)
    text = _text(request.POST)
    grid, lat, lng = _place(request.POST)
    staff = request.user.is_authenticated and request.user.has_perm("triage.view_suggestions")
    found = selectors.duplicates(
        text=text,
        grid=grid,
        lat=lat,
        lng=lng,
        user=request.user if staff else None,
    )
    hints = (
        selectors.suggestions(user=request.user, text=text, grid=grid)
        if staff and len(text) >= 4
        else None
    )
    return render(
        request,
        "triage/partials/intake_result.html",
        {"duplicates": found, "hints": hints, "staff": staff},
    )


@public_view
@require_POST
def attach(request, pk: int):
    """我也遇到: join a request shown as a duplicate of what the resident is writing.

    Checked again here: the request must be among the duplicates of the posted text and place
    (so an id alone attaches nobody to anything), and the phone must be a valid number."""
    if _limited(request, "attach"):
        return HttpResponse(status=429)
    name = params.get_str(request.POST, "reporter_name", max_length=50)
    phone = normalize_phone(params.get_str(request.POST, "reporter_phone", max_length=20))
    errors = []
    if not name:
        errors.append(_("请填写联系人。"))
    try:
        validate_phone(phone)
    except ValidationError:
        errors.append(_("请输入 11 位中国大陆手机号码。"))
    if errors:
        return render(request, "triage/partials/attach_error.html", {"errors": errors}, status=422)
    text = _text(request.POST)
    grid, lat, lng = _place(request.POST)
    shown = {
        d.case.pk: d.case for d in selectors.duplicates(text=text, grid=grid, lat=lat, lng=lng)
    }
    case = shown.get(pk)
    if case is None:
        raise Http404
    user = request.user if request.user.is_authenticated else None
    try:
        services.duplicate_attach(case=case, name=name, phone=phone, user=user, request=request)
    except services.cases.CaseError as exc:
        return render(
            request, "triage/partials/attach_error.html", {"errors": exc.messages}, status=422
        )
    messages.success(
        request,
        _("已把您加入这件诉求（查询码 %(code)s）：办理结果会通知您，您也可以评价。")
        % {"code": case.code},
    )
    return HttpResponseClientRedirect(f"{reverse('cases:track', args=[case.code])}?joined=1")


def _case_for(request, pk: int, perm: str) -> Case:
    case = Case.objects.visible_to(request.user).filter(pk=pk).select_related("grid").first()
    if case is None:
        raise Http404
    if not request.user.has_perm(perm, case):
        raise PermissionDenied(perm)
    return case


@login_required
@require_GET
def case_panel(request, pk: int):
    """htmx, loaded by the request's page: suggested category and unit (a click fills the
    dispatch form, nothing is applied) and the likely duplicates with one-click merge."""
    case = _case_for(request, pk, "triage.view_suggestions")
    text = f"{case.title} {case.description}"
    hints = selectors.suggestions(user=request.user, text=text, grid=case.grid)
    found = selectors.duplicates(
        text=text, grid=case.grid, lat=case.lat, lng=case.lng, user=request.user, exclude=case
    )
    return render(
        request,
        "triage/partials/case_result.html",
        {
            "case": case,
            "hints": hints,
            "duplicates": found,
            "can_merge": case.is_open and request.user.has_perm("triage.merge_duplicate", case),
        },
    )


@login_required
@require_POST
def merge(request, pk: int, into: int):
    """One click: merge this request into the suggested duplicate ``into``."""
    case = _case_for(request, pk, "triage.merge_duplicate")
    target = get_object_or_404(Case.objects.visible_to(request.user), pk=into)
    try:
        services.duplicate_merge(actor=request.user, case=case, into=target, request=request)
    except services.cases.CaseError as exc:
        return render(
            request, "triage/partials/attach_error.html", {"errors": exc.messages}, status=422
        )
    return HttpResponseClientRedirect(reverse("cases:case_detail", args=[target.pk]))


@login_required
@require_GET
def workbench_hints(request):
    """htmx, loaded once under the workbench's list: the suggested units of the page's
    not-yet-dispatched requests, out-of-band into their rows (one batch, ``triage.workbench``)."""
    if not request.user.has_perm("triage.view_suggestions"):
        raise PermissionDenied("triage.view_suggestions")
    rows = workbench.workbench_suggestions(
        user=request.user, ids=params.get_ids(request.GET, "ids", limit=100)
    )
    return render(request, "triage/partials/workbench_rows.html", {"rows": rows})


__all__ = ["attach", "case_panel", "intake_check", "merge", "workbench_hints"]
