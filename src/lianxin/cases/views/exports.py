"""The workbench's "导出 Excel": the list's filters, parsed by the list's own parser, sent to the
export builder (``cases.exports``); large exports are written by the worker."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lianxin.cases import exports
from lianxin.cases.forms import FilterForm
from lianxin.cases.views.workbench import _filters
from lianxin.core.decorators import permission_required
from lianxin.core.registry import export_response


@permission_required("cases.view_case")
@require_GET
def workbench_export(request):
    """The workbench rows under the current query string, as .xlsx (audited, phones masked)."""
    params = exports.filters_params(_filters(request, FilterForm(request.GET)))
    rows = exports.workbench_rows(actor=request.user, params=params).count()
    return export_response(
        request,
        builder=exports.BUILDER,
        params=params,
        rows=rows,
        title=_("导出诉求清单"),
        kind="cases.workbench",
    )
