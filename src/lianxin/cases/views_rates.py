"""三率 and 末位问责 pages, and the ranking's .xlsx export (audited)."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.cases import rates as r
from lianxin.core import params
from lianxin.core.decorators import permission_required
from lianxin.core.paging import paginate

DIM_LABELS = {"unit": "承办单位", "handler": "承办人", "category": "类别", "month": "月份"}


def _month(request, default_current: bool = False) -> str:
    """YYYY-MM from the query; the rates page opens on the current month ("all" = the whole history)."""
    m = params.month_text(request.GET, "month")
    if m:
        return m
    if default_current and request.GET.get("month") != "all":
        return f"{timezone.localdate():%Y-%m}"
    return ""


def _link(base: dict, metric: str = "", root: str = "") -> str:
    q = {k: v for k, v in base.items() if v not in ("", None)}
    if metric:
        q["metric"] = metric
    return (root or reverse("cases:workbench")) + "?" + urlencode(q)


@permission_required("cases.view_rates")
@require_GET
def rates(request):
    dim = params.get_choice(request.GET, "by", r.DIMENSIONS, default="unit")
    month = _month(request, default_current=True)
    # A county has ~1,000 handling units: show them a page at a time (the total covers all).
    page = paginate(request, r.rates_by(user=request.user, dimension=dim, month=month), 50)
    rows = list(page.object_list)
    total = r.rates_total(user=request.user, month=month)
    root = reverse("cases:workbench")
    for row in [*rows, total]:
        row.links = {
            m if m != "counted" else "all": _link(row.link, m, root)
            for m in (
                "counted",
                "accepted_on_time",
                "resolved",
                "resolved_on_time",
                "rated",
                "satisfied",
            )
        }
    return render(
        request,
        "cases/rates.html",
        {
            "rows": rows,
            "page_obj": page,
            "total": total,
            "dim": dim,
            "month": month,
            "dims": [(k, _(v)) for k, v in DIM_LABELS.items()],
            "breadcrumbs": [
                {"label": _("诉求工作台"), "url": reverse("cases:workbench")},
                {"label": _("三率统计")},
            ],
        },
    )


def _ranking_args(request):
    month = _month(request) or f"{timezone.localdate():%Y-%m}"
    level = params.get_choice(request.GET, "level", r.LEVELS, default="town")
    weights = r.rank_weights()
    try:
        parsed = tuple(int(x) for x in request.GET.get("weights", "").split(","))
        if len(parsed) == 3 and all(0 <= x <= 100 for x in parsed) and sum(parsed) > 0:
            weights = parsed
    except ValueError:
        pass
    bottom_n = params.get_int(request.GET, "bottom", min_value=0, max_value=10**6)
    bottom_n = min(bottom_n, 50) if bottom_n is not None else None
    return month, level, weights, bottom_n


@permission_required("cases.view_ranking")
@require_GET
def ranking(request):
    month, level, weights, bottom = _ranking_args(request)
    now = timezone.now()
    ranked, worst = r.ranking(
        user=request.user, month=month, level=level, weights=weights, bottom=bottom, now=now
    )
    for row in ranked:
        row.list_url = _link(row.rates.link)
    overdue = None
    if worst:  # the bottom units' overdue requests of the month, 20 a page, with full dates
        overdue = paginate(
            request,
            r.ranking_overdue(
                user=request.user, month=month, level=level, units=[x.unit for x in worst], now=now
            ),
            20,
        )
        for c in overdue.object_list:
            c.overdue_kind, c.overdue_due = r.overdue_kind(c, now), r.overdue_due(c, now)
    return render(
        request,
        "cases/ranking.html",
        {
            "ranked": ranked,
            "worst": worst,
            "month": month,
            "level": level,
            "page_obj": overdue,
            "weights": ",".join(str(x) for x in weights),
            "levels": [
                ("town", _("乡镇（街道）")),
                ("village", _("村（社区）")),
                ("grid", _("网格")),
                ("department", _("职能部门")),
            ],
            "export_url": reverse("cases:ranking_export") + "?" + request.GET.urlencode(),
            "breadcrumbs": [
                {"label": _("诉求工作台"), "url": reverse("cases:workbench")},
                {"label": _("末位问责")},
            ],
        },
    )


def ranking_sheets(*, actor, params: dict, request=None):
    """Export builder of the ranking (inline or as a job): rates as numbers with a % format,
    unit names as text cells (never formulas); audited."""
    from lianxin.core.spreadsheets import Column, Sheet, scope_label

    month, level = params["month"], params["level"]
    weights, bottom = tuple(params["weights"]), params.get("bottom")
    now = timezone.now()
    ranked, worst = r.ranking(
        user=actor, month=month, level=level, weights=weights, bottom=bottom, now=now
    )
    overdue = r.ranking_overdue(
        user=actor, month=month, level=level, units=[x.unit for x in worst], now=now
    )
    audit_record(
        action=AuditAction.EXPORT,
        actor=actor,
        target_repr=f"cases ranking {level} {month}",
        request=request,
        extra={"rows": len(ranked), "weights": list(weights)},
    )
    area = {"town": "town.name", "village": "village.name"}.get(level, "unit.name")
    overdue_columns = [
        Column(_("末位单位"), area, width=18),
        Column(_("编号"), "code", width=16),
        Column(_("诉求"), "title", width=30),
        Column(_("超时类型"), lambda c: r.overdue_kind(c, now), width=12),
        Column(_("时限"), lambda c: r.overdue_due(c, now), kind="datetime", width=17),
        Column(_("提交时间"), "created_at", kind="datetime", width=17),
        Column(_("承办单位"), "unit.name", width=20),
    ]
    columns = [
        Column(_("排名"), "rank", kind="int", width=6),
        Column(_("单位"), "unit.name", width=24),
        Column(_("诉求数"), "rates.total", kind="int", width=8),
        Column(_("响应率"), "rates.response_rate", kind="percent", width=9),
        Column(_("解决率"), "rates.resolution_rate", kind="percent", width=9),
        Column(_("满意率"), "rates.satisfaction_rate", kind="percent", width=9),
        Column(_("按时办结率"), "rates.on_time_rate", kind="percent", width=11),
        Column(_("平均办理时长（小时）"), "rates.avg_hours", kind="decimal", digits=1, width=12),
        Column(_("综合得分"), "score", kind="decimal", digits=2, width=9),
    ]
    title = _("末位问责排名 %(month)s") % {"month": month}
    overdue_title = _("末位单位超时诉求 %(month)s") % {"month": month}
    return f"{title}.xlsx", [
        Sheet(title, columns, ranked, scope=scope_label(actor), name=month),
        Sheet(
            overdue_title,
            overdue_columns,
            overdue.iterator(),
            scope=scope_label(actor),
            name=_("超时诉求"),
        ),
    ]


@permission_required("cases.export_ranking")
@require_GET
def ranking_export(request):
    """The ranking as .xlsx; a ranking of more rows than the inline limit (villages of a big
    county) is written by the worker."""
    from lianxin.jobs.exports import export_response

    month, level, weights, bottom = _ranking_args(request)
    args = {"month": month, "level": level, "weights": list(weights), "bottom": bottom}
    return export_response(
        request,
        builder="lianxin.cases.views_rates.ranking_sheets",
        params=args,
        rows=_ranking_size(request.user, level),
        title=_("导出末位问责排名"),
        kind="cases.ranking",
    )


def _ranking_size(user, level: str) -> int:
    """At most one row per unit of the level in the user's scope (one cheap count)."""
    from lianxin.org.models import TOWN_KINDS, VILLAGE_KINDS, UnitKind
    from lianxin.org.scoping import scoped_units

    kinds = {"town": TOWN_KINDS, "village": VILLAGE_KINDS, "grid": {UnitKind.GRID}}.get(
        level, {UnitKind.DEPARTMENT}
    )
    return scoped_units(user, *kinds).count()
