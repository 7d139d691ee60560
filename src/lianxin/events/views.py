"""Thin views: events and sign-up, check-in, queues, .ics feeds, training coverage and one's own
record."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from icalendar import Calendar
from icalendar import Event as IcsEvent

from lianxin.core.decorators import permission_required, public_view
from lianxin.core.forms import add_validation_error
from lianxin.core.keyset import request_keyset_page
from lianxin.core.messages import attempt, error_messages
from lianxin.core.qr import qr_svg_response
from lianxin.events import exports, rules, selectors, services
from lianxin.events.forms import EventEditForm, EventForm, ProgrammeForm
from lianxin.events.models import EventKind, RegistrationStatus
from lianxin.volunteers import selectors as volunteer_selectors

# The orders of selectors.event_list for each ``when``, ending with the id (the keyset's
# tie-break).
EVENT_ORDERS = {"upcoming": ("starts_at", "id"), "past": ("-starts_at", "-id")}


def _crumb_events(*extra):
    return [{"label": _("活动"), "url": reverse("events:event_list")}, *extra]


# ================================================================================= events
@permission_required("events.register")
@require_GET
def event_list(request):
    f = exports.event_list_filters(request.GET)  # the export reads the same filters
    kind, when = f["kind"], f["when"]
    # Every event of a county or the province: a keyset page in the list's order (soonest
    # first upcoming, latest first past; then id) reads the same rows at any depth and no
    # COUNT over the scope (issue 16, core.keyset). Each order has its own cursor tag.
    page = request_keyset_page(
        request,
        exports.event_list_rows(actor=request.user, params=f),
        order=EVENT_ORDERS[when],
        tag=f"events.list.{when}",
    )
    return render(
        request,
        "events/event_list.html",
        {
            "page_obj": page,
            "kind": kind,
            "when": when,
            "kinds": EventKind.choices,
            "can_manage": request.user.has_perm("events.manage_event"),
            "breadcrumbs": [{"label": _("活动")}],
        },
    )


@permission_required("events.manage_event")
@require_http_methods(["GET", "POST"])
def event_new(request):
    user = request.user
    units = list(volunteer_selectors.admin_units(user=user))
    programmes, teams, posts = selectors.event_links(user=user)
    form = EventForm(
        request.POST or None,
        units=units,
        programmes=programmes,
        teams=teams,
        posts=posts,
        rooms=selectors.event_rooms(user=user),
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        unit = next((u for u in units if u.pk == d["unit"]), None)
        try:
            event = services.event_create(
                actor=user,
                unit=unit,
                kind=d["kind"],
                title=d["title"],
                place=d["place"],
                room=d["room"],
                venue_room=d["venue_room"],
                starts_at=d["starts_at"],
                ends_at=d["ends_at"],
                capacity=d["capacity"],
                audience=d["audience"],
                hours=d["hours"] or Decimal("0"),
                description=d["description"],
                programme=next((p for p in programmes if p.pk == d["programme"]), None),
                session_kind=d["session_kind"],
                team=next((t for t in teams if t.pk == d["team"]), None),
                post=next((p for p in posts if p.pk == d["post"]), None),
                service_items=d["service_items"].splitlines(),
                form_token=d["form_token"],
                request=request,
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("活动已发布。"))
            return redirect("events:event_detail", pk=event.pk)
    return render(
        request,
        "volunteers/form.html",
        {
            "form": form,
            "title": _("发布活动"),
            "breadcrumbs": _crumb_events({"label": _("发布活动")}),
        },
    )


@permission_required("events.register")
@require_GET
def event_detail(request, pk: int):
    event = selectors.event_get(user=request.user, pk=pk)
    mine = selectors.my_registration(user=request.user, event=event)
    manage = request.user.has_perm("events.manage_event") and rules.covers_event(
        request.user, event
    )
    items = selectors.service_items(event=event)
    tickets = selectors.my_tickets(user=request.user, event=event)
    for item in items:
        item.my_ticket = tickets.get(item.pk)
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "counts": selectors.event_counts(event=event),
            "mine": mine,
            "position": selectors.waiting_position(registration=mine) if mine else None,
            "manage": manage,
            "roster": selectors.event_roster(event=event) if manage else None,
            "items": items,
            "now": timezone.now(),
            "breadcrumbs": _crumb_events({"label": event.title}),
        },
    )


@permission_required("events.register")
@require_POST
def event_register(request, pk: int):
    event = selectors.event_get(user=request.user, pk=pk)
    try:
        reg = services.registration_create(actor=request.user, event=event, request=request)
    except ValidationError as exc:
        error_messages(request, exc)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("该活动不面向您所在的群体。"))
    else:
        if reg.status == RegistrationStatus.WAITLISTED:
            messages.warning(request, _("名额已满，您已进入候补名单；有人取消时将按顺序递补。"))
        else:
            messages.success(request, _("报名成功。"))
    return redirect("events:event_detail", pk=pk)


@permission_required("events.register")
@require_POST
def registration_cancel(request, pk: int):
    reg = selectors.registration_get(user=request.user, pk=pk)
    attempt(request, services.registration_cancel, _("已取消报名。"), registration=reg)
    return redirect("events:event_detail", pk=reg.event_id)


@permission_required("events.manage_event")
@require_http_methods(["GET", "POST"])
def event_edit(request, pk: int):
    event = selectors.event_manage_get(user=request.user, pk=pk)
    initial = {
        f: getattr(event, f)
        for f in ("title", "place", "room", "capacity", "description", "venue_room")
    }
    initial["starts_at"] = timezone.localtime(event.starts_at)
    initial["ends_at"] = timezone.localtime(event.ends_at)
    form = EventEditForm(
        request.POST or None, initial=initial, rooms=selectors.event_rooms(user=request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            promoted = services.event_update(
                actor=request.user, event=event, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("活动已修改。")
                + (
                    ngettext("候补递补 %(n)d 人。", "候补递补 %(n)d 人。", len(promoted))
                    % {"n": len(promoted)}
                    if promoted
                    else ""
                ),
            )
            return redirect("events:event_detail", pk=pk)
    return render(
        request,
        "volunteers/form.html",
        {
            "form": form,
            "title": _("修改活动"),
            "breadcrumbs": _crumb_events(
                {"label": event.title, "url": reverse("events:event_detail", args=[pk])},
                {"label": _("修改")},
            ),
        },
    )


@permission_required("events.manage_event")
@require_POST
def event_cancel(request, pk: int):
    event = selectors.event_manage_get(user=request.user, pk=pk)
    attempt(request, services.event_cancel, event=event, reason=request.POST.get("reason", ""))
    return redirect("events:event_detail", pk=pk)


@permission_required("events.manage_event")
@require_POST
def attendance_mark(request, pk: int):
    reg = selectors.registration_get(user=request.user, pk=pk)
    selectors.event_manage_get(user=request.user, pk=reg.event_id)
    try:
        reg = services.attendance_mark(actor=request.user, registration=reg, request=request)
    except ValidationError as exc:
        if request.htmx:
            return HttpResponse(exc.messages[0], status=422)
        error_messages(request, exc)
    if request.htmx:
        return render(request, "events/partials/present.html", {"r": reg})
    return redirect("events:event_detail", pk=reg.event_id)


@permission_required("events.manage_event")
@require_POST
def hours_confirm(request, pk: int):
    event = selectors.event_manage_get(user=request.user, pk=pk)
    n = services.service_records_confirm(actor=request.user, event=event)
    messages.success(
        request,
        ngettext("已确认 %(n)d 人的志愿时长和积分。", "已确认 %(n)d 人的志愿时长和积分。", n)
        % {"n": n},
    )
    return redirect("events:event_detail", pk=pk)


@permission_required("events.manage_event")
@require_GET
def event_sheet(request, pk: int):
    """Printable A4 sign-in sheet (签到表): names, masked phones, a column to sign."""
    event = selectors.event_manage_get(user=request.user, pk=pk)
    roster = exports.sign_in_sheet(actor=request.user, event=event, request=request)
    blanks = range(max(0, 10 - len(roster) % 25)) if len(roster) < 25 else range(5)
    response = render(
        request, "events/event_sheet.html", {"event": event, "roster": roster, "blanks": blanks}
    )
    response["Cache-Control"] = "no-store"
    return response


@permission_required("events.manage_event")
@require_GET
def event_qr(request, pk: int):
    """The door QR code (SVG): a signed token that opens the check-in page."""
    event = selectors.event_manage_get(user=request.user, pk=pk)
    url = request.build_absolute_uri(
        reverse("events:checkin", args=[services.checkin_token(event=event)])
    )
    return qr_svg_response(url)


@permission_required("events.manage_event")
@require_GET
def event_door(request, pk: int):
    """A page to print or show on a tablet at the door: the QR code and the event."""
    event = selectors.event_manage_get(user=request.user, pk=pk)
    return render(request, "events/event_door.html", {"event": event})


@permission_required("events.register")
@require_http_methods(["GET", "POST"])
def checkin(request, token: str):
    try:
        event_id = services.checkin_event_from_token(token)
    except ValidationError as exc:
        return render(request, "events/checkin.html", {"error": exc.messages[0]}, status=400)
    event = selectors.event_get(user=request.user, pk=event_id)
    reg, error = selectors.my_registration(user=request.user, event=event), ""
    if request.method == "POST":
        try:
            reg = services.checkin(actor=request.user, event=event, request=request)
        except ValidationError as exc:
            error = exc.messages[0]
        except PermissionDenied as exc:
            error = str(exc) or _("该活动不面向您所在的群体。")
    return render(
        request,
        "events/checkin.html",
        {"event": event, "reg": reg, "error": error, "token": token},
    )


@permission_required("events.register")
@require_POST
def queue_take(request, pk: int):
    item = selectors.service_item_get(user=request.user, pk=pk)
    try:
        ticket = services.queue_take(actor=request.user, item=item, request=request)
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(
            request, _("取号成功：%(item)s %(n)d 号。") % {"item": item.name, "n": ticket.number}
        )
    return redirect("events:event_detail", pk=item.event_id)


@permission_required("events.manage_event")
@require_POST
def queue_next(request, pk: int):
    item = selectors.service_item_get(user=request.user, pk=pk, manage=True)
    try:
        item = services.queue_call_next(actor=request.user, item=item, request=request)
    except ValidationError as exc:
        error_messages(request, exc)
    if request.htmx:
        return render(request, "events/partials/queue.html", {"item": item, "manage": True})
    return redirect("events:event_detail", pk=item.event_id)


def _ics(events, name: str) -> HttpResponse:
    cal = Calendar()
    cal.add("prodid", "-//Lianxin//activities//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    for e in events:
        ev = IcsEvent()
        ev.add("uid", f"event-{e.pk}@lianxin")
        ev.add("summary", e.title)
        ev.add("dtstart", e.starts_at)
        ev.add("dtend", e.ends_at)
        ev.add("dtstamp", e.updated_at)
        ev.add("location", " ".join(x for x in (e.place, e.room) if x))
        ev.add("categories", [e.get_kind_display()])
        cal.add_component(ev)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="events.ics"'
    return response


@public_view
@require_GET
def unit_ics(request, code: str):
    """Public .ics feed of a village's (or town's) open events: title, time and place only."""
    unit = selectors.feed_unit(code=code)
    if unit is None:
        return HttpResponse(status=404)
    return _ics(selectors.public_feed_events(unit=unit), unit.name)


@permission_required("events.own_record")
@require_GET
def my_ics(request):
    """The signed-in person's own events as an .ics file."""
    regs = selectors.my_events(user=request.user, status=RegistrationStatus.CONFIRMED)[:200]
    return _ics([r.event for r in regs], _("我的活动"))


# ================================================================================= training
@permission_required("events.view_event")
@require_GET
def programme_list(request):
    return render(
        request,
        "events/programme_list.html",
        {
            "programmes": selectors.programme_list(user=request.user)[:100],
            "breadcrumbs": [{"label": _("培训项目")}],
        },
    )


@permission_required("events.manage_event")
@require_http_methods(["GET", "POST"])
def programme_new(request):
    units = list(volunteer_selectors.admin_units(user=request.user))
    form = ProgrammeForm(
        request.POST or None, units=units, initial={"year": timezone.localdate().year}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        keys = [k.strip() for k in d["required_people"].splitlines() if k.strip()]
        people = [volunteer_selectors.member_find(user=request.user, key=k) for k in keys]
        missing = [k for k, p in zip(keys, people, strict=True) if p is None]
        if missing:
            form.add_error(
                "required_people",
                _("在您的管辖范围内找不到：%(keys)s") % {"keys": "、".join(missing)},
            )
        else:
            try:
                prog = services.programme_create(
                    actor=request.user,
                    unit=next(u for u in units if u.pk == d["unit"]),
                    title=d["title"],
                    year=d["year"],
                    required_role=d["required_role"],
                    required_users=people,
                    min_sessions=d.get("min_sessions"),
                    request=request,
                )
            except ValidationError as exc:
                add_validation_error(form, exc)
            else:
                return redirect("events:programme_detail", pk=prog.pk)
    return render(
        request,
        "volunteers/form.html",
        {
            "form": form,
            "title": _("新建培训项目"),
            "breadcrumbs": [
                {"label": _("培训项目"), "url": reverse("events:programme_list")},
                {"label": _("新建")},
            ],
        },
    )


@permission_required("events.view_event")
@require_GET
def programme_detail(request, pk: int):
    prog = selectors.programme_get(user=request.user, pk=pk)
    return render(
        request,
        "events/programme_detail.html",
        {
            "prog": prog,
            "cov": selectors.programme_coverage(programme=prog),
            "sessions": selectors.programme_sessions(programme=prog),
            "breadcrumbs": [
                {"label": _("培训项目"), "url": reverse("events:programme_list")},
                {"label": prog.title},
            ],
        },
    )


@permission_required("events.view_event")
@require_GET
def programme_export(request, pk: int):
    """The coverage per unit and the people still missing, as .xlsx for follow-up (audited);
    a county-wide programme with many people missing is written by the worker."""
    from lianxin.jobs.exports import export_response

    prog = selectors.programme_get(user=request.user, pk=pk)
    rows = exports.coverage_rows(selectors.programme_coverage(programme=prog))
    return export_response(
        request,
        builder=exports.BUILDER,
        params={"pk": prog.pk},
        rows=rows,
        title=_("导出培训覆盖情况"),
        kind="activities.coverage",
    )


@permission_required("events.own_record")
@require_GET
def my_record(request):
    return render(
        request,
        "volunteers/record.html",
        {
            "person": request.user,
            "rec": volunteer_selectors.person_record(person=request.user),
            "regs": selectors.my_events(user=request.user)[:30],
            "own": True,
            "breadcrumbs": [{"label": _("我的活动与积分")}],
        },
    )
