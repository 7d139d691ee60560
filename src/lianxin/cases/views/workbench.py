"""The staff pages of one request and the queue: the workbench, a request's panel and its steps,
bulk dispatch, photos and the intake poster."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from lianxin.cases import selectors, services
from lianxin.cases.forms import FilterForm
from lianxin.cases.models import Case, PhotoKind
from lianxin.cases.services.replies import replies_by_purpose
from lianxin.cases.views.actions import ACTIONS
from lianxin.cases.views.callbacks import callback_context
from lianxin.core import params
from lianxin.core.decorators import permission_required
from lianxin.core.keyset import KeysetPage
from lianxin.core.qr import qr_svg
from lianxin.core.slots import form_slots, row_slots
from lianxin.org.pickers import unit_groups


def _filters(request, form: FilterForm) -> selectors.CaseFilters:
    d = form.cleaned_data if form.is_valid() else {}

    def _int(name):
        return params.get_id(request.GET, name)

    return selectors.CaseFilters(
        view=params.get_str(request.GET, "view", max_length=20, default="all"),
        q=d.get("q") or "",
        category=d.get("category") or None,
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
    listed = selectors.case_list(user=request.user, filters=filters)
    cursor = params.get_str(request.GET, "cursor", max_length=1000)
    if filters.q:
        # Search results: numbered pages with the exact total up to the count bound, a keyset
        # page past it (selectors.search_page).
        counts = selectors.workbench_counts(user=request.user, listed=listed)
        total = counts.pop("listed")
        page = selectors.search_page(
            listed,
            total=total,
            sort=filters.sort,
            number=params.get_page(request.GET),
            cursor=cursor,
        )
        if not isinstance(page, KeysetPage):
            total = page.paginator.count
    else:
        # Everything else: a keyset page by the sort key and a bounded count, in two queries
        # whatever the scope (a county's list reads what a village's does).
        page = selectors.case_keyset_page(listed, sort=filters.sort, cursor=cursor)
        counts = selectors.workbench_counts(user=request.user, listed=listed)
        total = counts.pop("listed")
    rows = list(page)  # read once: the slots below and the template share the page's rows
    ctx = {
        "page_obj": page,
        "keyset": isinstance(page, KeysetPage),
        "list_total": total,
        # other apps' additions (triage: suggested units), without cases importing them
        "row_slots": row_slots("cases.workbench", request, rows),
        "list_slots": form_slots("cases.workbench", request, rows=rows),
        "form": form,
        "filters": filters,
        "now": timezone.now(),
        "counts": counts,
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
    for case in selectors.cases_by_ids(user=request.user, ids=ids):
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
        "canned": replies_by_purpose(case),
    }


@permission_required("cases.view_case")
@require_GET
def case_detail(request, pk: int):
    case = selectors.case_get(user=request.user, pk=pk)
    ctx = _panel_context(request, case)
    photos = list(case.photos.all())
    ctx.update(callback_context(request, case))
    ctx.update(
        {
            "photos": [p for p in photos if p.kind != PhotoKind.RESULT],
            "result_photos": [p for p in photos if p.kind == PhotoKind.RESULT],
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
    """htmx: one step on the request; answers with the refreshed status/actions/timeline panel.

    The step is looked up in ``actions.ACTIONS`` (service + how its arguments are read from the
    POST); an unknown step, or a ``CaseError`` from reading or doing it, is shown in the panel.
    """
    case = selectors.case_get(user=request.user, pk=pk)
    error = ""
    try:
        step = ACTIONS.get(action)
        if step is None:
            raise services.CaseError(_("未知的操作。"))
        step.service(case=case, actor=request.user, **step.kwargs(request))
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
    unit = selectors.poster_unit(user=request.user, pk=pk)
    url = request.build_absolute_uri(reverse("cases:intake")) + f"?u={unit.code}"
    svg = qr_svg(url, dark="#000", light="#fff", omitsize=True, svgns=False)
    return render(request, "cases/poster.html", {"unit": unit, "url": url, "qr_svg": svg})
