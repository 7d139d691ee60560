"""The resident's pages (report, track, evaluate, my requests) and staff intake (登记诉求)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lianxin.cases import limits, selectors, services
from lianxin.cases.forms import EvaluateForm, IntakeForm, StaffIntakeForm
from lianxin.cases.models import Case, Channel, PhotoKind, State
from lianxin.core import params
from lianxin.core.decorators import permission_required, public_view
from lianxin.core.paging import paginate
from lianxin.core.slots import form_slots
from lianxin.org.geo import grid_locate
from lianxin.org.models import Unit, UnitKind
from lianxin.org.scoping import user_scope


def _rate_limited(request, what: str = "intake") -> bool:
    return limits.intake_limited(request, what)


def _phone_limited(form) -> bool:
    """Per submitted phone too: one number must not flood a grid worker from many addresses."""
    return limits.phone_limited(form.cleaned_data["reporter_phone"])


def _resolve_grid(form) -> Unit | None:
    grid = form.cleaned_data.get("grid")
    if grid is None and form.cleaned_data.get("lat") is not None:
        grid = grid_locate(lng=form.cleaned_data["lng"], lat=form.cleaned_data["lat"])
    return grid


def _preset_unit(request) -> Unit | None:
    code = params.get_str(request.GET, "u", max_length=40)
    return Unit.objects.filter(code=code).first() if code else None


def _intake_initial(request) -> dict:
    initial = {"form_token": uuid.uuid4().hex}
    unit = _preset_unit(request)
    if unit is not None:
        if unit.kind in (UnitKind.GRID, UnitKind.MICRO_GRID):
            initial["grid"] = unit.pk
            initial["village"] = unit.parent_id
        elif unit.kind in (UnitKind.VILLAGE, UnitKind.COMMUNITY):
            initial["village"] = unit.pk
    user = request.user
    if user.is_authenticated:
        initial["reporter_name"] = user.display_name
        initial["reporter_phone"] = user.phone or ""
    return initial


@public_view
@require_http_methods(["GET", "POST"])
def intake(request):
    """The resident's phone page: rate-limited, keeps input on error, one request per token."""
    if request.method == "POST":
        form = IntakeForm(request.POST, request.FILES)
        village_id = params.get_id(request.POST, "village")
        if _rate_limited(request):
            form.is_valid()
            form.add_error(None, _("提交过于频繁，请稍后再试，或拨打便民服务热线。"))
        elif form.is_valid() and _phone_limited(form):
            form.add_error(None, _("该手机号提交过于频繁，请稍后再试，或拨打便民服务热线。"))
        elif form.is_valid():
            grid = _resolve_grid(form)
            if grid is None:
                form.add_error("grid", _("所选位置不在任何网格内，请从列表中选择网格。"))
            else:
                try:
                    d = form.cleaned_data
                    case, _created = services.case_submit(
                        title=d["title"],
                        description=d["description"],
                        category=d["category"],
                        grid=grid,
                        channel=Channel.RESIDENT,
                        reporter=request.user if request.user.is_authenticated else None,
                        reporter_name=d["reporter_name"],
                        reporter_phone=d["reporter_phone"],
                        address=d["address"],
                        lat=d["lat"],
                        lng=d["lng"],
                        idempotency_key=f"web:{d['form_token']}",
                        photos=[d["photo"]] if d.get("photo") else [],
                    )
                except services.CaseError as exc:
                    form.add_error(None, exc.messages[0])
                else:
                    request.session["cases_last_code"] = case.code
                    return redirect(f"{reverse('cases:track', args=[case.code])}?new=1")
    else:
        form = IntakeForm(initial=_intake_initial(request))
        village_id = form.initial.get("village")
    form.fields["grid"].queryset = selectors.intake_grids(village_id=village_id)
    status = 200 if request.method == "GET" or form.is_bound is False else 422
    response = render(
        request,
        "cases/intake.html",
        {
            "form": form,
            "tile_url": settings.LIANXIN_TILE_URL,
            "staff": False,
            "form_slots": form_slots("cases.intake", request, staff=False),
        },
        status=status,
    )
    response.personal_data = True  # the form echoes a name and phone number back
    return response


@public_view
@require_GET
def grid_options(request):
    """htmx: the grid <option>s of one village."""
    grids = selectors.intake_grids(village_id=params.get_id(request.GET, "village"))
    return render(request, "cases/partials/grid_options.html", {"grids": grids})


@permission_required("cases.enter_case")
@require_http_methods(["GET", "POST"])
def staff_intake(request):
    """Walk-in / phone entry by staff, or on-patrol entry by a grid worker (首问: they own it)."""
    scope = user_scope(request.user)
    channel = services.intake_channel(request.user)
    if request.method == "POST":
        form = StaffIntakeForm(request.POST)
        village_id = params.get_id(request.POST, "village")
        if form.is_valid():
            grid = _resolve_grid(form)
            if grid is None or not scope.covers(grid):
                form.add_error("grid", _("只能登记本辖区网格内的诉求。"))
            else:
                d = form.cleaned_data
                try:
                    case, _created = services.case_submit(
                        title=d["title"],
                        description=d["description"],
                        category=d["category"],
                        grid=grid,
                        channel=channel,
                        reporter=None,
                        created_by=request.user,
                        reporter_name=d["reporter_name"],
                        reporter_phone=d["reporter_phone"],
                        priority=d["priority"],
                        address=d["address"],
                        lat=d["lat"],
                        lng=d["lng"],
                        idempotency_key=f"staff:{d['form_token']}",
                    )
                except services.CaseError as exc:
                    form.add_error(None, exc.messages[0])
                else:
                    messages.success(request, _("已登记，查询码 %(code)s。") % {"code": case.code})
                    return redirect("cases:case_detail", pk=case.pk)
    else:
        initial = _intake_initial(request)
        initial.pop("reporter_name", None)
        initial.pop("reporter_phone", None)
        form = StaffIntakeForm(initial=initial)
        village_id = None
    form.fields["village"].queryset = selectors.intake_villages(user=request.user)
    form.fields["grid"].queryset = selectors.intake_grids(village_id=village_id, user=request.user)
    return render(
        request,
        "cases/intake.html",
        {
            "form": form,
            "tile_url": settings.LIANXIN_TILE_URL,
            "staff": True,
            "channel": Channel(channel).label,
            "form_slots": form_slots("cases.intake", request, staff=True),
            "breadcrumbs": [
                {"label": _("诉求"), "url": reverse("cases:workbench")},
                {"label": _("登记诉求")},
            ],
        },
        status=422 if form.is_bound else 200,
    )


@public_view
@require_GET
def track_lookup(request):
    code = params.get_str(request.GET, "code", max_length=20).upper()
    if code:
        if Case.objects.filter(code=code).exists():
            return redirect("cases:track", code=code)
        return render(
            request,
            "cases/track_lookup.html",
            {"code": code, "error": _("没有找到该查询码，请核对后再试。")},
            status=404,
        )
    return render(request, "cases/track_lookup.html", {"code": ""})


def _track_context(request, case: Case, form=None) -> dict:
    can_rate = case.state == State.RESOLVED
    return {
        "case": case,
        "events": selectors.case_timeline(case=case, public_only=True),
        "is_new": request.GET.get("new") == "1"
        and request.session.get("cases_last_code") == case.code,
        "form": form or EvaluateForm(),
        "can_rate": can_rate,
        "is_reporter": request.user.is_authenticated and case.reporter_id == request.user.pk,
        # 办结照片 only: the reporter's own photos are never public
        "result_photos": list(case.photos.filter(kind=PhotoKind.RESULT)) if case.resolution else [],
    }


@public_view
@require_GET
def track(request, code: str):
    """亮牌服务: state, handler name and post, handling unit, results — public timeline only."""
    case = selectors.case_by_code(code=code)
    response = render(request, "cases/track.html", _track_context(request, case))
    response.personal_data = True  # never cached, even for an anonymous visitor
    return response


@public_view
@require_POST
def evaluate(request, code: str):
    case = selectors.case_by_code(code=code)
    form = EvaluateForm(request.POST)
    if _rate_limited(request, "evaluate"):  # the phone check must not be guessable by brute force
        form.is_valid()
        form.add_error(None, _("提交过于频繁，请稍后再试，或拨打便民服务热线。"))
    elif form.is_valid():
        try:
            services.case_evaluate(
                case=case,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
                user=request.user,
                phone=form.cleaned_data["phone"],
            )
        except services.CaseError as exc:
            form.add_error(None, exc.messages[0])
        except PermissionDenied as exc:
            form.add_error("phone", str(exc))
        else:
            messages.success(request, _("感谢您的评价！"))
            return redirect("cases:track", code=case.code)
    return render(request, "cases/track.html", _track_context(request, case, form), status=422)


@permission_required("cases.view_own_case")
@require_GET
def my_cases(request):
    page = paginate(request, selectors.resident_cases(user=request.user))
    return render(
        request,
        "cases/my_cases.html",
        {"page_obj": page, "breadcrumbs": [{"label": _("我的诉求")}]},
    )
