"""Thin views of 功能室预约: parse, call a service or selector, render.

URL paths are those the rooms had under venues (``/venues/rooms/…``, ``/venues/bookings/…``);
the namespace is ``rooms:``.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lianxin.core import params
from lianxin.core.decorators import permission_required, public_view
from lianxin.core.forms import add_validation_error
from lianxin.core.keyset import request_keyset_page
from lianxin.core.paging import paginate
from lianxin.core.qr import qr_svg
from lianxin.rooms import selectors, services
from lianxin.rooms.forms import BookingForm, RoomForm, SlotRuleForm
from lianxin.rooms.models import Audience, BookingStatus, RoomFunction
from lianxin.venues import selectors as venue_selectors


def _crumbs(*items):
    return [{"label": _("阵地档案"), "url": reverse("venues:venue_list")}, *items]


def _date_arg(values, name: str, default: date | None = None) -> date:
    """A date from a query or form parameter; ``default`` (today) when missing, malformed or out
    of core.params' bounds."""
    return params.get_date(values, name) or default or timezone.localdate()


@permission_required("rooms.book_room")
@require_GET
def room_list(request):
    q = params.get_str(request.GET, "q")
    page = paginate(request, selectors.room_list_bookable(user=request.user, q=q), 30)
    return render(
        request,
        "rooms/room_list.html",
        {"page_obj": page, "q": q, "breadcrumbs": [{"label": _("预约功能室")}]},
    )


@permission_required("rooms.book_room")
@require_http_methods(["GET", "POST"])
def room_book(request, pk: int):
    room = selectors.room_get_bookable(user=request.user, pk=pk)
    day = _date_arg(request.GET, "day")
    form = BookingForm(
        request.POST or None,
        initial={"day": day, "token": services.new_client_token(), "audience": Audience.GENERAL},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booking = services.booking_create(
                actor=request.user,
                room=room,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                group_name=data["group_name"],
                audience=data["audience"],
                purpose=data["purpose"],
                attendees=data["attendees"],
                client_token=data["token"] or None,
                request=request,
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
            day = data["day"]
        else:
            if booking.status == BookingStatus.PENDING:
                messages.info(request, _("预约已提交，等待工作人员审批。"))
            else:
                messages.success(request, _("预约成功！"))
            return redirect("rooms:booking_mine")
    slots = selectors.room_day_slots(room=room, day=day)
    template = (
        "rooms/partials/room_slots.html"
        if request.htmx and request.method == "GET"
        else "rooms/room_book.html"
    )
    return render(
        request,
        template,
        {
            "room": room,
            "form": form,
            "day": day,
            "slots": slots,
            "prev_day": day - timedelta(days=1),
            "next_day": day + timedelta(days=1),
            "breadcrumbs": [
                {"label": _("预约功能室"), "url": reverse("rooms:room_list")},
                {"label": str(room)},
            ],
        },
        status=422 if request.method == "POST" else 200,
    )


@permission_required("rooms.book_room")
@require_GET
def booking_mine(request):
    page = paginate(request, selectors.booking_list_mine(user=request.user), 20)
    return render(
        request,
        "rooms/booking_mine.html",
        {
            "page_obj": page,
            "breadcrumbs": [
                {"label": _("预约功能室"), "url": reverse("rooms:room_list")},
                {"label": _("我的预约")},
            ],
        },
    )


@permission_required("rooms.book_room")
@require_POST
def booking_cancel(request, pk: int):
    booking = selectors.booking_get(user=request.user, pk=pk)
    try:
        services.booking_cancel(actor=request.user, booking=booking)
        messages.success(request, _("预约已取消。"))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    if request.POST.get("next") == "manage":
        return redirect("rooms:booking_manage")
    return redirect("rooms:booking_mine")


# The order of selectors.booking_list_staff, ending with the id (the keyset's tie-break).
BOOKING_MANAGE_ORDER = ("-starts_at", "-id")
BOOKING_MANAGE_PER_PAGE = 30


@permission_required("rooms.manage_booking")
@require_GET
def booking_manage(request):
    status = params.get_str(request.GET, "status", max_length=20)
    # The scope's bookings by cursor in the list's order (newest start, then id): a page reads
    # the same rows at any depth, and no COUNT over the scope (core.keyset).
    page = request_keyset_page(
        request,
        selectors.booking_list_staff(user=request.user, status=status),
        order=BOOKING_MANAGE_ORDER,
        per_page=BOOKING_MANAGE_PER_PAGE,
        tag="rooms.bookings_staff",
    )
    return render(
        request,
        "rooms/booking_manage.html",
        {
            "page_obj": page,
            "status": status,
            "statuses": BookingStatus.choices,
            "breadcrumbs": _crumbs({"label": _("预约管理")}),
        },
    )


@permission_required("rooms.manage_booking")
@require_POST
def booking_decide(request, pk: int):
    booking = selectors.booking_get(user=request.user, pk=pk)
    try:
        services.booking_decide(
            actor=request.user, booking=booking, approve=request.POST.get("approve") == "1"
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("rooms:booking_manage")


@permission_required("rooms.manage_booking")
@require_POST
def booking_no_show(request, pk: int):
    booking = selectors.booking_get(user=request.user, pk=pk)
    try:
        services.booking_mark_no_show(actor=request.user, booking=booking)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("rooms:booking_manage")


@permission_required("rooms.book_room")
@require_http_methods(["GET", "POST"])
def room_checkin(request, pk: int):
    """The target of the QR code on the room's door."""
    room = selectors.room_get_bookable(user=request.user, pk=pk)
    booking = None
    error = ""
    if request.method == "POST":
        try:
            booking = services.booking_check_in(actor=request.user, room=room)
        except ValidationError as exc:
            error = "；".join(exc.messages)
    return render(
        request,
        "rooms/room_checkin.html",
        {"room": room, "booking": booking, "error": error},
        status=422 if error else 200,
    )


@permission_required("rooms.view_usage")
@require_GET
def room_door(request, pk: int):
    """A printable A4 sheet for the room's door: QR code to check in, the staggered-use rules."""
    room = selectors.room_get(user=request.user, pk=pk)
    url = request.build_absolute_uri(reverse("rooms:room_checkin", args=[room.pk]))
    return render(
        request,
        "rooms/room_door.html",
        {"room": room, "qr_svg": qr_svg(url, scale=8), "url": url},
    )


@public_view
@require_GET
def room_ics(request, pk: int, token: str):
    """An .ics feed per room (subscribed by calendar apps, so keyed by a secret token).
    It carries groups and times only, never who booked."""
    from icalendar import Calendar, Event

    room = selectors.room_get_by_feed(pk=pk, token=token)
    cal = Calendar()
    cal.add("prodid", "-//Lianxin//venues//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", str(room))
    for b in selectors.room_feed_bookings(room=room):
        ev = Event()
        ev.add("uid", f"booking-{b.pk}@lianxin")
        ev.add("dtstart", b.starts_at)
        ev.add("dtend", b.ends_at)
        ev.add("dtstamp", b.updated_at)
        ev.add("summary", f"{b.group_name}（{b.get_audience_display()}）")
        ev.add("status", "CONFIRMED" if b.status != BookingStatus.PENDING else "TENTATIVE")
        cal.add_component(ev)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="room-{room.pk}.ics"'
    return response


@permission_required("rooms.manage_room")
@require_http_methods(["GET", "POST"])
def room_add(request, pk: int):
    venue = venue_selectors.venue_get(user=request.user, pk=pk)
    form = RoomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.room_save(actor=request.user, venue=venue, values=form.cleaned_data)
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("功能室已添加。"))
            return redirect("venues:venue_detail", pk=venue.pk)
    return render(
        request,
        "rooms/room_form.html",
        {
            "form": form,
            "venue": venue,
            "breadcrumbs": _crumbs(
                {"label": venue.name, "url": reverse("venues:venue_detail", args=[venue.pk])},
                {"label": _("添加功能室")},
            ),
        },
    )


@permission_required("rooms.manage_room")
@require_http_methods(["GET", "POST"])
def room_edit(request, pk: int):
    """The venue's manager changes a room: hours, slots, approval, how far ahead it is bookable."""
    room = selectors.room_get(user=request.user, pk=pk)
    venue = room.venue
    form = RoomForm(request.POST or None, instance=room)
    if request.method == "POST" and form.is_valid():
        try:
            services.room_save(actor=request.user, venue=venue, room=room, values=form.cleaned_data)
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("功能室已保存。"))
            return redirect("venues:venue_detail", pk=venue.pk)
    return render(
        request,
        "rooms/room_form.html",
        {
            "form": form,
            "venue": venue,
            "room": room,
            "breadcrumbs": _crumbs(
                {"label": venue.name, "url": reverse("venues:venue_detail", args=[venue.pk])},
                {"label": room.name},
            ),
        },
    )


@permission_required("rooms.view_usage")
@require_GET
def usage(request):
    week_of = _date_arg(request.GET, "week")
    stats = selectors.usage_stats(user=request.user, week_of=week_of)
    page = paginate(request, stats["rooms"], 30)
    return render(
        request,
        "rooms/usage.html",
        {
            "stats": stats,
            "page_obj": page,
            "functions": dict(RoomFunction.choices),
            "audiences": dict(Audience.choices),
            "prev_week": (stats["start"] - timedelta(days=7)).date(),
            "next_week": (stats["start"] + timedelta(days=7)).date(),
            "breadcrumbs": _crumbs({"label": _("使用统计")}),
        },
    )


@permission_required("rooms.manage_room")
@require_http_methods(["GET", "POST"])
def room_rules(request, pk: int):
    """错时利用 rules of one room: who has which window on which weekdays."""
    room = selectors.room_get(user=request.user, pk=pk)
    form = SlotRuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.slot_rule_add(
                actor=request.user,
                room=room,
                weekdays="".join(data["weekdays"]),
                starts=data["starts"],
                ends=data["ends"],
                audience=data["audience"],
                note=data["note"],
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("错时规则已添加。"))
            return redirect("rooms:room_rules", pk=room.pk)
    return render(
        request,
        "rooms/room_rules.html",
        {
            "room": room,
            "form": form,
            "rules": list(room.slot_rules.all()),
            "breadcrumbs": _crumbs(
                {
                    "label": room.venue.name,
                    "url": reverse("venues:venue_detail", args=[room.venue.pk]),
                },
                {"label": room.name},
            ),
        },
        status=422 if request.method == "POST" else 200,
    )


@permission_required("rooms.manage_room")
@require_POST
def slot_rule_remove(request, pk: int):
    rule = selectors.slot_rule_get(user=request.user, pk=pk)
    room_pk = rule.room_id
    services.slot_rule_remove(actor=request.user, rule=rule)
    return redirect("rooms:room_rules", pk=room_pk)
