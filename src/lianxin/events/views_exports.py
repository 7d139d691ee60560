"""The "导出 Excel" of the event list (its current filters) and of one event's attendance;
written inline or, above the inline limit, by the worker (``lianxin.jobs.exports``)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lianxin.core.decorators import permission_required
from lianxin.events import exports, selectors
from lianxin.jobs.exports import export_response
from lianxin.org.scoping import require_covers


@permission_required("events.manage_event")
@require_GET
def event_list_export(request):
    """The event list under the current query string (organisers: the office's export)."""
    f = exports.event_list_filters(request.GET)
    return export_response(
        request,
        builder=exports.EVENTS_BUILDER,
        params=f,
        rows=exports.event_list_rows(actor=request.user, params=f).count(),
        title=_("导出活动清单"),
        kind="events.list",
    )


@permission_required("events.manage_event")
@require_GET
def attendance_export(request, pk: int):
    """One event's registrations and check-ins (staff over the event's unit)."""
    event = selectors.event_manage_get(user=request.user, pk=pk)
    require_covers(request.user, event.unit, message="events.manage_event")
    return export_response(
        request,
        builder=exports.ATTENDANCE_BUILDER,
        params={"pk": event.pk},
        rows=exports.attendance_rows(event=event).count(),
        title=_("导出报名与签到"),
        kind="events.attendance",
        unit=event.unit,
    )
