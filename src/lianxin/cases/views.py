"""Thin views: parse the request, call a selector or a service, render."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lianxin.cases import selectors, services
from lianxin.cases.forms import EvaluateForm, FilterForm, IntakeForm, StaffIntakeForm
from lianxin.cases.models import Case, Channel, State
from lianxin.core import params
from lianxin.core.decorators import permission_required, public_view
from lianxin.core.paging import paginate
from lianxin.core.ratelimit import key_rate_limited, rate_limited
from lianxin.grids.services import grid_locate
from lianxin.org.models import Role, Unit, UnitKind
from lianxin.org.pickers import unit_groups
from lianxin.org.scoping import scope_queryset, user_scope
from lianxin.people.validators import normalize_phone


def _rate_limited(request, what: str = "intake") -> bool:
    limit, window = getattr(settings, "LIANXIN_CASE_INTAKE_LIMIT", (10, 3600))  # posts per window
    return rate_limited(request, scope=f"cases:{what}", limit=limit, window=window)


def _phone_limited(form) -> bool:
    """Per submitted phone too: one number must not flood a grid worker from many addresses."""
    limit, window = settings.LIANXIN_CASE_INTAKE_PHONE_LIMIT
    phone = normalize_phone(form.cleaned_data["reporter_phone"])
    return key_rate_limited(scope="cases:intake-phone", key=phone, limit=limit, window=window)


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


def _grid_queryset(village_id):
    qs = Unit.objects.filter(kind__in=[UnitKind.GRID, UnitKind.MICRO_GRID], is_active=True)
    return qs.filter(parent_id=village_id) if village_id else qs.none()


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
    form.fields["grid"].queryset = _grid_queryset(village_id)
    status = 200 if request.method == "GET" or form.is_bound is False else 422
    response = render(
        request,
        "cases/intake.html",
        {"form": form, "tile_url": settings.LIANXIN_TILE_URL, "staff": False},
        status=status,
    )
    response.personal_data = True  # the form echoes a name and phone number back
    return response


@public_view
@require_GET
def grid_options(request):
    """htmx: the grid <option>s of one village."""
    grids = _grid_queryset(params.get_id(request.GET, "village"))
    return render(request, "cases/partials/grid_options.html", {"grids": grids})


@permission_required("cases.enter_case")
@require_http_methods(["GET", "POST"])
def staff_intake(request):
    """Walk-in / phone entry by staff, or on-patrol entry by a grid worker (首问: they own it)."""
    scope = user_scope(request.user)
    channel = (
        Channel.GRID
        if scope.has_role(Role.GRID_WORKER)
        and not scope.has_role(Role.VILLAGE_STAFF, Role.TOWN_STAFF, Role.COUNTY_ADMIN)
        else Channel.STAFF
    )
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
    villages = scope_queryset(
        Unit.objects.filter(kind__in=[UnitKind.VILLAGE, UnitKind.COMMUNITY]),
        request.user,
        fields=("",),
    )
    form.fields["village"].queryset = villages
    form.fields["grid"].queryset = scope_queryset(
        _grid_queryset(village_id), request.user, fields=("",)
    )
    return render(
        request,
        "cases/intake.html",
        {
            "form": form,
            "tile_url": settings.LIANXIN_TILE_URL,
            "staff": True,
            "channel": Channel(channel).label,
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


def _filters(request, form: FilterForm) -> selectors.CaseFilters:
    d = form.cleaned_data if form.is_valid() else {}

    def _int(name):
        return params.get_id(request.GET, name)

    return selectors.CaseFilters(
        view=params.get_str(request.GET, "view", max_length=20, default="all"),
        q=d.get("q") or "",
        category=d["category"].pk if d.get("category") else None,
        state=d.get("state") or "",
        grid=d.get("grid"),
        date_from=d.get("date_from"),
        date_to=d.get("date_to"),
        overdue=bool(d.get("overdue")),
        sort=d.get("sort") or "-created",
        unit=_int("unit"),
        area=_int("area"),
        handler=_int("handler"),
        month=params.month_text(request.GET, "month"),
        metric=params.get_str(request.GET, "metric", max_length=20),
    )


@permission_required("cases.view_case")
@require_GET
def workbench(request):
    form = FilterForm(request.GET)
    filters = _filters(request, form)
    page = selectors.case_page(
        selectors.case_list(user=request.user, filters=filters),
        number=params.get_page(request.GET),
        searching=bool(filters.q),
    )
    ctx = {
        "page_obj": page,
        "form": form,
        "filters": filters,
        "now": timezone.now(),
        "counts": selectors.workbench_counts(user=request.user),
        "views": [
            ("all", _("全部")),
            ("mine", _("我的待办")),
            ("unit", _("本单位待签收")),
            ("due_soon", _("即将到期")),
            ("overdue", _("已超时")),
            ("awaiting_eval", _("待评价")),
            ("supervised", _("督办")),
        ],
        "poster_unit": next(iter(selectors.staff_units(request.user)), None),
        "breadcrumbs": [{"label": _("诉求工作台")}],
    }
    template = (
        "cases/partials/case_rows.html"
        if request.htmx and request.htmx.target == "lx-case-list"
        else "cases/workbench.html"
    )
    return render(request, template, ctx)


@permission_required("cases.handle_case")
@require_GET
def dispatch_options(request):
    """htmx: the bulk-dispatch menu, loaded when it is first opened (a county has ~400 units,
    rendering them on every list page cost more than the list itself)."""
    return render(
        request,
        "cases/partials/dispatch_options.html",
        {
            "target_groups": unit_groups(
                selectors.dispatch_targets(user=request.user).only(*_PICKED)
            )
        },
    )


@permission_required("cases.handle_case")
@require_POST
def bulk_dispatch(request):
    ids = params.get_ids(request.POST, "ids", limit=200)
    to_unit = params.get_id(request.POST, "to_unit")
    if to_unit is None:
        messages.error(request, _("请选择派往的单位。"))
        return redirect(reverse("cases:workbench"))
    target = get_object_or_404(selectors.dispatch_targets(user=request.user), pk=to_unit)
    done, failed = 0, []
    for case in Case.objects.visible_to(request.user).filter(pk__in=ids).order_by("pk"):
        try:
            services.case_dispatch(
                case=case, actor=request.user, to_unit=target, note=request.POST.get("note", "")
            )
            done += 1
        except (services.CaseError, PermissionDenied) as exc:
            failed.append(
                f"{case.code}：{exc.messages[0] if hasattr(exc, 'messages') else _('无权办理')}"
            )
    messages.success(
        request, ngettext("已派单 %(n)d 件。", "已派单 %(n)d 件。", done) % {"n": done}
    )
    for f in failed[:10]:
        messages.warning(request, f)
    return redirect(
        request.POST.get("next")
        if str(request.POST.get("next", "")).startswith("/cases/")
        else reverse("cases:workbench")
    )


# What org.pickers.unit_groups reads to group the dispatch targets by town and label them uniquely.
_PICKED = ("id", "name", "path", "kind", "code")


def _panel_context(request, case: Case, error: str = "") -> dict:
    return {
        "case": case,
        "events": selectors.case_timeline(case=case, public_only=False),
        "actions": services.actions_for(request.user, case),
        "target_groups": unit_groups(
            selectors.dispatch_targets(user=request.user, case=case).only(*_PICKED)
        ),
        "error": error,
        "now": timezone.now(),
    }


@permission_required("cases.view_case")
@require_GET
def case_detail(request, pk: int):
    case = selectors.case_get(user=request.user, pk=pk)
    ctx = _panel_context(request, case)
    ctx.update(
        {
            "photos": list(case.photos.all()),
            "tile_url": settings.LIANXIN_TILE_URL,
            "breadcrumbs": [
                {"label": _("诉求工作台"), "url": reverse("cases:workbench")},
                {"label": case.code},
            ],
        }
    )
    return render(request, "cases/case_detail.html", ctx)


@permission_required("cases.handle_case")
@require_POST
def case_action(request, pk: int, action: str):
    """htmx: one step on the request; answers with the refreshed status/actions/timeline panel."""
    case = selectors.case_get(user=request.user, pk=pk)
    p = request.POST
    actor = request.user
    error = ""
    try:
        if action == "accept":
            services.case_accept(case=case, actor=actor)
        elif action == "start":
            services.case_start(case=case, actor=actor, note=p.get("note", ""))
        elif action == "resolve":
            services.case_resolve(case=case, actor=actor, resolution=p.get("resolution", ""))
        elif action in ("dispatch", "transfer"):
            unit = (
                selectors.dispatch_targets(user=actor)
                .filter(pk=params.get_id(p, "to_unit") or 0)
                .first()
            )
            if unit is None:
                raise services.CaseError(_("请选择承办单位。"))
            if action == "dispatch":
                services.case_dispatch(case=case, actor=actor, to_unit=unit, note=p.get("note", ""))
            else:
                services.case_transfer(
                    case=case, actor=actor, to_unit=unit, reason=p.get("note", "")
                )
        elif action == "send_back":
            services.case_send_back(case=case, actor=actor, reason=p.get("note", ""))
        elif action == "escalate":
            services.case_escalate(case=case, actor=actor, reason=p.get("note", ""))
        elif action == "reject":
            services.case_reject(case=case, actor=actor, reason=p.get("note", ""))
        elif action == "merge":
            into = (
                Case.objects.visible_to(actor)
                .filter(code=params.clean_text(p.get("into"), max_length=20).upper())
                .first()
            )
            if into is None:
                raise services.CaseError(_("没有找到要合并到的诉求查询码。"))
            services.case_merge(case=case, actor=actor, into=into)
        elif action == "close":
            services.case_close(case=case, actor=actor, note=p.get("note", ""))
        elif action == "reopen":
            services.case_reopen(case=case, actor=actor, reason=p.get("note", ""))
        elif action == "extension_request":
            until = params.parse_datetime(p.get("until", ""))
            if until is None:
                raise services.CaseError(_("请填写延期后的时限。"))
            services.case_extension_request(
                case=case, actor=actor, until=until, reason=p.get("note", "")
            )
        elif action == "extension_decide":
            services.case_extension_decide(
                case=case, actor=actor, approve=p.get("approve") == "1", note=p.get("note", "")
            )
        elif action == "note":
            services.case_note(case=case, actor=actor, note=p.get("note", ""))
        else:
            raise services.CaseError(_("未知的操作。"))
    except services.CaseError as exc:
        error = exc.messages[0]
    case = selectors.case_get(user=request.user, pk=pk)
    if request.htmx:
        return render(
            request, "cases/partials/case_panel.html", _panel_context(request, case, error)
        )
    if error:
        messages.error(request, error)
    return redirect("cases:case_detail", pk=case.pk)


@permission_required("cases.view_own_case")
@require_GET
def photo(request, token: str):
    """Photos only through this scoped view (never a public media URL)."""
    p = selectors.photo_get(user=request.user, token=token)
    response = FileResponse(p.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@permission_required("cases.print_poster")
@require_GET
def poster(request, pk: int):
    """A4 poster with a QR code opening the intake page preset to this unit."""
    import segno

    unit = get_object_or_404(scope_queryset(Unit.objects.all(), request.user, fields=("",)), pk=pk)
    url = request.build_absolute_uri(reverse("cases:intake")) + f"?u={unit.code}"
    qr = segno.make(url, error="m")
    svg = qr.svg_inline(scale=8, dark="#000", light="#fff", omitsize=True)
    return render(request, "cases/poster.html", {"unit": unit, "url": url, "qr_svg": svg})
