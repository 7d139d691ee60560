"""The "导出 Excel" of the 实地指导 list and of the upgrade-plan list (its filters read by the
plan page's own parser); written inline or, above the inline limit, by the worker."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lianxin.compliance import exports
from lianxin.core.decorators import permission_required
from lianxin.jobs.exports import export_response
from lianxin.venues.views.plans import plan_filters


@permission_required("venues.view_venue")
@require_GET
def inspection_export(request):
    """Every inspection in scope (the 实地指导 page's list), as .xlsx (audited)."""
    return export_response(
        request,
        builder=exports.INSPECTIONS_BUILDER,
        params={},
        rows=exports.inspection_rows(actor=request.user).count(),
        title=_("导出实地指导记录"),
        kind="compliance.inspections",
    )


@permission_required("venues.view_plan")
@require_GET
def plan_export(request):
    """The upgrade plans under the plan page's current filters, as .xlsx (audited)."""
    f = plan_filters(request.GET)
    return export_response(
        request,
        builder=exports.PLANS_BUILDER,
        params=f,
        rows=exports.plan_rows(actor=request.user, params=f).count(),
        title=_("导出提升计划"),
        kind="compliance.plans",
    )
