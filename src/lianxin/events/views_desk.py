"""Thin views for the desk sign-up on an event's roster (rules in ``desk_signup``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lianxin.core import params
from lianxin.core.decorators import permission_required
from lianxin.events import desk_signup, selectors
from lianxin.events.models import RegistrationStatus


def _managed_event(request, pk: int):
    event = selectors.event_manage_get(user=request.user, pk=pk)
    if not desk_signup.may_desk_register(request.user, event):
        raise PermissionDenied("events.manage_event")
    return event


@permission_required("events.manage_event")
@require_GET
def desk_search(request, pk: int):
    """People in the clerk's scope matching the search box, masked, each with a sign-up
    button; an htmx request gets the result list only."""
    event = _managed_event(request, pk)
    q = params.get_str(request.GET, "q", max_length=50)
    people = desk_signup.desk_people(actor=request.user, q=q)
    context = {
        "event": event,
        "q": q,
        "people": people,
        "taken": desk_signup.live_person_ids(event=event, people=people),
        "limit": desk_signup.SEARCH_LIMIT,
    }
    if request.htmx:
        return render(request, "events/partials/desk_results.html", context)
    context["breadcrumbs"] = [
        {"label": _("活动"), "url": reverse("events:event_list")},
        {"label": event.title, "url": reverse("events:event_detail", args=[pk])},
        {"label": _("窗口代报名")},
    ]
    return render(request, "events/desk_signup.html", context)


@permission_required("events.manage_event")
@require_POST
def desk_register(request, pk: int):
    event = _managed_event(request, pk)
    person = desk_signup.desk_person_get(
        actor=request.user, pk=params.require_id(request.POST, "person")
    )
    back = reverse("events:event_detail", args=[pk]) + "#desk"
    if person is None:
        messages.error(request, _("该人员不在您的管辖范围内。"))
        return redirect(back)
    try:
        reg = desk_signup.desk_register(
            actor=request.user, event=event, person=person, request=request
        )
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("该人员不在您的管辖范围内。"))
    else:
        if reg.status == RegistrationStatus.WAITLISTED:
            messages.warning(
                request,
                _("名额已满，%(name)s 已进入候补名单；有人取消时按顺序递补。")
                % {"name": person.name},
            )
        else:
            messages.success(request, _("已为 %(name)s 报名。") % {"name": person.name})
    return redirect(back)
