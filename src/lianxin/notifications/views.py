from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lianxin.core.decorators import permission_required
from lianxin.core.paging import paginate
from lianxin.notifications import selectors
from lianxin.notifications.services import notification_mark_read


@permission_required("notifications.view_notification")
@require_GET
def notification_list(request):
    page = paginate(request, selectors.notification_list(user=request.user))
    return render(
        request,
        "notifications/list.html",
        {"page_obj": page, "breadcrumbs": [{"label": _("通知")}]},
    )


@permission_required("notifications.view_notification")
@require_GET
def bell(request):
    """htmx: the bell with the unread count (polled every minute)."""
    return render(
        request,
        "notifications/partials/bell.html",
        {"unread": selectors.unread_count(user=request.user)},
    )


@permission_required("notifications.view_notification")
@require_POST
def mark_read(request, pk: int):
    """Open one notification: mark it read and go to what it is about."""
    n = get_object_or_404(selectors.notification_list(user=request.user), pk=pk)
    notification_mark_read(user=request.user, pk=n.pk)
    if request.htmx:
        return HttpResponse(status=204)
    target = (
        n.url
        if n.url and url_has_allowed_host_and_scheme(n.url, allowed_hosts={request.get_host()})
        else None
    )
    return redirect(target or "notifications:list")


@permission_required("notifications.view_notification")
@require_POST
def mark_all_read(request):
    notification_mark_read(user=request.user)
    return redirect("notifications:list")
