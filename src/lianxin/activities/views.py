"""Thin views: events and sign-up, check-in, queues, training coverage, teams and posts,
hours and points, 党建品牌 and 合理化建议."""

from __future__ import annotations

import io
from decimal import Decimal

import segno
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

from lianxin.activities import selectors, services
from lianxin.activities.forms import (
    AreaForm,
    BrandForm,
    BrandReviewForm,
    EventEditForm,
    EventForm,
    PointRuleForm,
    PostForm,
    ProgrammeForm,
    ProposalForm,
    ProposalReviewForm,
    TeamForm,
)
from lianxin.activities.models import (
    BrandStatus,
    EventKind,
    ProposalStatus,
    RegistrationStatus,
    TeamKind,
)
from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.core import params
from lianxin.core.decorators import permission_required, public_view
from lianxin.core.forms import add_validation_error
from lianxin.core.paging import paginate
from lianxin.org.scoping import user_scope


def _messages(request, exc: ValidationError) -> None:
    for m in exc.messages:
        messages.error(request, m)


def _attempt(request, fn, ok: str = "", **kwargs) -> bool:
    """Call write service ``fn`` as the signed-in user; its ValidationError becomes error
    messages, success the ``ok`` message. True when it went through."""
    try:
        fn(actor=request.user, request=request, **kwargs)
    except ValidationError as exc:
        _messages(request, exc)
        return False
    if ok:
        messages.success(request, ok)
    return True


def _crumb_events(*extra):
    return [{"label": _("活动"), "url": reverse("activities:event_list")}, *extra]


# ================================================================================= events
@permission_required("activities.register")
@require_GET
def event_list(request):
    kind = params.get_str(request.GET, "kind", max_length=20)
    kind = kind if kind in EventKind.values else ""
    when = "past" if request.GET.get("when") == "past" else "upcoming"
    page = paginate(request, selectors.event_list(user=request.user, kind=kind, when=when))
    return render(
        request,
        "activities/event_list.html",
        {
            "page_obj": page,
            "kind": kind,
            "when": when,
            "kinds": EventKind.choices,
            "can_manage": request.user.has_perm("activities.manage_event"),
            "breadcrumbs": [{"label": _("活动")}],
        },
    )


@permission_required("activities.manage_event")
@require_http_methods(["GET", "POST"])
def event_new(request):
    user = request.user
    units = list(selectors.admin_units(user=user))
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
            return redirect("activities:event_detail", pk=event.pk)
    return render(
        request,
        "activities/form.html",
        {
            "form": form,
            "title": _("发布活动"),
            "breadcrumbs": _crumb_events({"label": _("发布活动")}),
        },
    )


@permission_required("activities.register")
@require_GET
def event_detail(request, pk: int):
    event = selectors.event_get(user=request.user, pk=pk)
    mine = selectors.my_registration(user=request.user, event=event)
    manage = user_scope(request.user).covers(event.unit) and request.user.has_perm(
        "activities.manage_event"
    )
    items = selectors.service_items(event=event)
    tickets = selectors.my_tickets(user=request.user, event=event)
    for item in items:
        item.my_ticket = tickets.get(item.pk)
    return render(
        request,
        "activities/event_detail.html",
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


@permission_required("activities.register")
@require_POST
def event_register(request, pk: int):
    event = selectors.event_get(user=request.user, pk=pk)
    try:
        reg = services.registration_create(actor=request.user, event=event, request=request)
    except ValidationError as exc:
        _messages(request, exc)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("该活动不面向您所在的群体。"))
    else:
        if reg.status == RegistrationStatus.WAITLISTED:
            messages.warning(request, _("名额已满，您已进入候补名单；有人取消时将按顺序递补。"))
        else:
            messages.success(request, _("报名成功。"))
    return redirect("activities:event_detail", pk=pk)


@permission_required("activities.register")
@require_POST
def registration_cancel(request, pk: int):
    reg = selectors.registration_get(user=request.user, pk=pk)
    _attempt(request, services.registration_cancel, _("已取消报名。"), registration=reg)
    return redirect("activities:event_detail", pk=reg.event_id)


@permission_required("activities.manage_event")
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
            return redirect("activities:event_detail", pk=pk)
    return render(
        request,
        "activities/form.html",
        {
            "form": form,
            "title": _("修改活动"),
            "breadcrumbs": _crumb_events(
                {"label": event.title, "url": reverse("activities:event_detail", args=[pk])},
                {"label": _("修改")},
            ),
        },
    )


@permission_required("activities.manage_event")
@require_POST
def event_cancel(request, pk: int):
    event = selectors.event_manage_get(user=request.user, pk=pk)
    _attempt(request, services.event_cancel, event=event, reason=request.POST.get("reason", ""))
    return redirect("activities:event_detail", pk=pk)


@permission_required("activities.manage_event")
@require_POST
def attendance_mark(request, pk: int):
    reg = selectors.registration_get(user=request.user, pk=pk)
    selectors.event_manage_get(user=request.user, pk=reg.event_id)
    try:
        reg = services.attendance_mark(actor=request.user, registration=reg, request=request)
    except ValidationError as exc:
        if request.htmx:
            return HttpResponse(exc.messages[0], status=422)
        _messages(request, exc)
    if request.htmx:
        return render(request, "activities/partials/present.html", {"r": reg})
    return redirect("activities:event_detail", pk=reg.event_id)


@permission_required("activities.manage_event")
@require_POST
def hours_confirm(request, pk: int):
    event = selectors.event_manage_get(user=request.user, pk=pk)
    n = services.service_records_confirm(actor=request.user, event=event)
    messages.success(
        request,
        ngettext("已确认 %(n)d 人的志愿时长和积分。", "已确认 %(n)d 人的志愿时长和积分。", n)
        % {"n": n},
    )
    return redirect("activities:event_detail", pk=pk)


@permission_required("activities.manage_event")
@require_GET
def event_sheet(request, pk: int):
    """Printable A4 sign-in sheet (签到表): names, masked phones, a column to sign."""
    event = selectors.event_manage_get(user=request.user, pk=pk)
    roster = [
        r for r in selectors.event_roster(event=event) if r.status == RegistrationStatus.CONFIRMED
    ]
    audit_record(
        action=AuditAction.EXPORT,
        actor=request.user,
        target=event,
        reason="sign-in sheet",
        request=request,
    )
    blanks = range(max(0, 10 - len(roster) % 25)) if len(roster) < 25 else range(5)
    response = render(
        request, "activities/event_sheet.html", {"event": event, "roster": roster, "blanks": blanks}
    )
    response["Cache-Control"] = "no-store"
    return response


@permission_required("activities.manage_event")
@require_GET
def event_qr(request, pk: int):
    """The door QR code (SVG): a signed token that opens the check-in page."""
    event = selectors.event_manage_get(user=request.user, pk=pk)
    url = request.build_absolute_uri(
        reverse("activities:checkin", args=[services.checkin_token(event=event)])
    )
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="svg", scale=8, border=2)
    response = HttpResponse(buf.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response


@permission_required("activities.manage_event")
@require_GET
def event_door(request, pk: int):
    """A page to print or show on a tablet at the door: the QR code and the event."""
    event = selectors.event_manage_get(user=request.user, pk=pk)
    return render(request, "activities/event_door.html", {"event": event})


@permission_required("activities.register")
@require_http_methods(["GET", "POST"])
def checkin(request, token: str):
    try:
        event_id = services.checkin_event_from_token(token)
    except ValidationError as exc:
        return render(request, "activities/checkin.html", {"error": exc.messages[0]}, status=400)
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
        "activities/checkin.html",
        {"event": event, "reg": reg, "error": error, "token": token},
    )


@permission_required("activities.register")
@require_POST
def queue_take(request, pk: int):
    item = selectors.service_item_get(user=request.user, pk=pk)
    try:
        ticket = services.queue_take(actor=request.user, item=item, request=request)
    except ValidationError as exc:
        _messages(request, exc)
    else:
        messages.success(
            request, _("取号成功：%(item)s %(n)d 号。") % {"item": item.name, "n": ticket.number}
        )
    return redirect("activities:event_detail", pk=item.event_id)


@permission_required("activities.manage_event")
@require_POST
def queue_next(request, pk: int):
    item = selectors.service_item_get(user=request.user, pk=pk, manage=True)
    try:
        item = services.queue_call_next(actor=request.user, item=item, request=request)
    except ValidationError as exc:
        _messages(request, exc)
    if request.htmx:
        return render(request, "activities/partials/queue.html", {"item": item, "manage": True})
    return redirect("activities:event_detail", pk=item.event_id)


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


@permission_required("activities.own_record")
@require_GET
def my_ics(request):
    """The signed-in person's own events as an .ics file."""
    regs = selectors.my_events(user=request.user, status=RegistrationStatus.CONFIRMED)[:200]
    return _ics([r.event for r in regs], _("我的活动"))


# ================================================================================= training
@permission_required("activities.view_event")
@require_GET
def programme_list(request):
    return render(
        request,
        "activities/programme_list.html",
        {
            "programmes": selectors.programme_list(user=request.user)[:100],
            "breadcrumbs": [{"label": _("培训项目")}],
        },
    )


@permission_required("activities.manage_event")
@require_http_methods(["GET", "POST"])
def programme_new(request):
    units = list(selectors.admin_units(user=request.user))
    form = ProgrammeForm(
        request.POST or None, units=units, initial={"year": timezone.localdate().year}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        keys = [k.strip() for k in d["required_people"].splitlines() if k.strip()]
        people = [selectors.member_find(user=request.user, key=k) for k in keys]
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
                return redirect("activities:programme_detail", pk=prog.pk)
    return render(
        request,
        "activities/form.html",
        {
            "form": form,
            "title": _("新建培训项目"),
            "breadcrumbs": [
                {"label": _("培训项目"), "url": reverse("activities:programme_list")},
                {"label": _("新建")},
            ],
        },
    )


@permission_required("activities.view_event")
@require_GET
def programme_detail(request, pk: int):
    prog = selectors.programme_get(user=request.user, pk=pk)
    return render(
        request,
        "activities/programme_detail.html",
        {
            "prog": prog,
            "cov": selectors.programme_coverage(programme=prog),
            "sessions": selectors.programme_sessions(programme=prog),
            "breadcrumbs": [
                {"label": _("培训项目"), "url": reverse("activities:programme_list")},
                {"label": prog.title},
            ],
        },
    )


@permission_required("activities.view_event")
@require_GET
def programme_export(request, pk: int):
    """The coverage per unit and the people still missing, as .xlsx for follow-up (audited);
    a county-wide programme with many people missing is written by the worker."""
    from lianxin.activities.exports import BUILDER, coverage_rows
    from lianxin.jobs.exports import export_response

    prog = selectors.programme_get(user=request.user, pk=pk)
    rows = coverage_rows(selectors.programme_coverage(programme=prog))
    return export_response(
        request,
        builder=BUILDER,
        params={"pk": prog.pk},
        rows=rows,
        title=_("导出培训覆盖情况"),
        kind="activities.coverage",
    )


# ================================================================================= teams and posts
@permission_required("activities.view_team")
@require_GET
def team_list(request):
    kind = params.get_str(request.GET, "kind", max_length=20)
    kind = kind if kind in TeamKind.values else ""
    page = paginate(request, selectors.team_list(user=request.user, kind=kind))
    return render(
        request,
        "activities/team_list.html",
        {
            "page_obj": page,
            "kind": kind,
            "kinds": TeamKind.choices,
            "breadcrumbs": [{"label": _("队伍")}],
        },
    )


@permission_required("activities.manage_team")
@require_http_methods(["GET", "POST"])
def team_new(request):
    units = list(selectors.admin_units(user=request.user))
    form = TeamForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        leader = selectors.member_find(user=request.user, key=d["leader"]) if d["leader"] else None
        if d["leader"] and leader is None:
            form.add_error("leader", _("在您的管辖范围内找不到该账号。"))
        else:
            try:
                team = services.team_create(
                    actor=request.user,
                    unit=next(u for u in units if u.pk == d["unit"]),
                    name=d["name"],
                    kind=d["kind"],
                    leader=leader,
                    description=d["description"],
                    request=request,
                )
            except ValidationError as exc:
                add_validation_error(form, exc)
            else:
                return redirect("activities:team_detail", pk=team.pk)
    return render(
        request,
        "activities/form.html",
        {
            "form": form,
            "title": _("新建队伍"),
            "breadcrumbs": [
                {"label": _("队伍"), "url": reverse("activities:team_list")},
                {"label": _("新建")},
            ],
        },
    )


@permission_required("activities.view_team")
@require_GET
def team_detail(request, pk: int):
    team = selectors.team_get(user=request.user, pk=pk)
    return render(
        request,
        "activities/team_detail.html",
        {
            "team": team,
            "roll": selectors.team_rollup(team=team),
            "breadcrumbs": [
                {"label": _("队伍"), "url": reverse("activities:team_list")},
                {"label": team.name},
            ],
        },
    )


@permission_required("activities.manage_team")
@require_POST
def team_member_add(request, pk: int):
    team = selectors.team_get(user=request.user, pk=pk)
    member = selectors.member_find(
        user=request.user, key=params.clean_text(request.POST.get("key"), max_length=50)
    )
    if member is None:
        messages.error(request, _("在您的管辖范围内找不到该账号。"))
    else:
        services.team_member_add(actor=request.user, team=team, user=member, request=request)
        messages.success(request, _("已加入队伍。"))
    return redirect("activities:team_detail", pk=pk)


@permission_required("activities.manage_team")
@require_POST
def team_member_remove(request, pk: int):
    team = selectors.team_get(user=request.user, pk=pk)
    member = selectors.team_member_get(team=team, user_id=params.require_id(request.POST, "user"))
    if member is not None:
        _attempt(
            request, services.team_member_remove, _("已移出队伍。"), team=team, user=member.user
        )
    return redirect("activities:team_detail", pk=pk)


@permission_required("activities.view_team")
@require_GET
def post_list(request):
    page = paginate(request, selectors.post_list(user=request.user))
    return render(
        request,
        "activities/post_list.html",
        {"page_obj": page, "breadcrumbs": [{"label": _("党员示范岗")}]},
    )


@permission_required("activities.manage_team")
@require_http_methods(["GET", "POST"])
def post_new(request):
    units = list(selectors.admin_units(user=request.user))
    form = PostForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        holder = selectors.member_find(user=request.user, key=d["holder"])
        if holder is None:
            form.add_error("holder", _("在您的管辖范围内找不到该账号。"))
        else:
            post = services.model_post_create(
                actor=request.user,
                unit=next(u for u in units if u.pk == d["unit"]),
                holder=holder,
                title=d["title"],
                pledge=d["pledge"],
                request=request,
            )
            return redirect("activities:post_detail", pk=post.pk)
    return render(
        request,
        "activities/form.html",
        {
            "form": form,
            "title": _("设立党员示范岗"),
            "breadcrumbs": [
                {"label": _("党员示范岗"), "url": reverse("activities:post_list")},
                {"label": _("新建")},
            ],
        },
    )


@permission_required("activities.view_team")
@require_GET
def post_detail(request, pk: int):
    post = selectors.post_get(user=request.user, pk=pk)
    grids = selectors.post_area_grids(user=request.user, post=post)
    return render(
        request,
        "activities/post_detail.html",
        {
            "post": post,
            "roll": selectors.post_rollup(post=post),
            "area_form": AreaForm(grids=grids),
            "breadcrumbs": [
                {"label": _("党员示范岗"), "url": reverse("activities:post_list")},
                {"label": post.title},
            ],
        },
    )


@permission_required("activities.manage_team")
@require_POST
def area_add(request, pk: int):
    post = selectors.post_get(user=request.user, pk=pk)
    grids = selectors.post_area_grids(user=request.user, post=post)
    form = AreaForm(request.POST, grids=grids)
    if form.is_valid():
        chosen = [g for g in grids if g.pk in form.cleaned_data["grids"]]
        _attempt(
            request,
            services.area_create,
            _("责任区已划定。"),
            unit=post.unit,
            holder=post.holder,
            name=form.cleaned_data["name"],
            grids=chosen,
            post=post,
        )
    else:
        messages.error(request, _("请填写责任区名称并选择网格。"))
    return redirect("activities:post_detail", pk=pk)


@public_view
@require_GET
def post_card(request, pk: int):
    """党员示范岗 public card: the post, its pledge and record; the holder's name masked."""
    post = selectors.post_public_get(pk=pk)
    roll = selectors.post_rollup(post=post)
    return render(
        request,
        "activities/post_card.html",
        {"post": post, "n_lit": roll["n_lit"], "n_events": roll["n_events"]},
    )


# ================================================================================= hours and points
@permission_required("activities.view_points")
@require_GET
def ranking(request):
    month = params.month_text(request.GET, "month")
    unit = selectors.ranking_unit(
        user=request.user, code=params.get_str(request.GET, "unit", max_length=40)
    )
    data = selectors.ranking(user=request.user, month=month, unit=unit)
    units = selectors.ranking_units(user=request.user)
    return render(
        request,
        "activities/ranking.html",
        {
            "data": data,
            "unit": unit,
            "units": units,
            "month": data["month"].strftime("%Y-%m"),
            "breadcrumbs": [{"label": _("积分排行")}],
        },
    )


@permission_required("activities.own_record")
@require_GET
def my_record(request):
    return render(
        request,
        "activities/record.html",
        {
            "person": request.user,
            "rec": selectors.person_record(person=request.user),
            "regs": selectors.my_events(user=request.user)[:30],
            "own": True,
            "breadcrumbs": [{"label": _("我的活动与积分")}],
        },
    )


@permission_required("activities.view_points")
@require_GET
def person_record(request, pk: int):
    person = selectors.person_record_user(
        user=request.user, pk=params.parse_id(pk) or 0
    )  # out of range: 404
    return render(
        request,
        "activities/record.html",
        {
            "person": person,
            "rec": selectors.person_record(person=person),
            "own": False,
            "breadcrumbs": [
                {"label": _("积分排行"), "url": reverse("activities:ranking")},
                {"label": str(person)},
            ],
        },
    )


@permission_required("activities.manage_points")
@require_http_methods(["GET", "POST"])
def point_rules(request):
    top = selectors.points_unit(user=request.user)
    form = PointRuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and top is not None:
        try:
            services.point_rule_set(
                actor=request.user,
                unit=top,
                source_kind=form.cleaned_data["source_kind"],
                points=form.cleaned_data["points"],
                request=request,
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("积分规则已保存。"))
            return redirect("activities:point_rules")
    effective = selectors.point_rules_effective(unit=top) if top is not None else []
    return render(
        request,
        "activities/point_rules.html",
        {
            "form": form,
            "top": top,
            "effective": effective,
            "rules": selectors.point_rule_list(user=request.user),
            "breadcrumbs": [{"label": _("积分规则")}],
        },
    )


# ================================================================================= brands
@permission_required("activities.view_brand")
@require_GET
def brand_list(request):
    status = params.get_str(request.GET, "status", max_length=20)
    status = status if status in BrandStatus.values else ""
    page = paginate(request, selectors.brand_list(user=request.user, status=status))
    return render(
        request,
        "activities/brand_list.html",
        {
            "page_obj": page,
            "status": status,
            "statuses": BrandStatus.choices,
            "breadcrumbs": [{"label": _("党建品牌")}],
        },
    )


@permission_required("activities.manage_brand")
@require_http_methods(["GET", "POST"])
def brand_new(request):
    units = list(selectors.party_org_units(user=request.user))
    form = BrandForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            project = services.brand_submit(
                actor=request.user,
                unit=next(u for u in units if u.pk == d["unit"]),
                name=d["name"],
                summary=d["summary"],
                request=request,
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            return redirect("activities:brand_detail", pk=project.pk)
    return render(
        request,
        "activities/form.html",
        {
            "form": form,
            "title": _("申报党建品牌"),
            "breadcrumbs": [
                {"label": _("党建品牌"), "url": reverse("activities:brand_list")},
                {"label": _("申报")},
            ],
        },
    )


@permission_required("activities.view_brand")
@require_GET
def brand_detail(request, pk: int):
    project = selectors.brand_get(user=request.user, pk=pk)
    return render(
        request,
        "activities/brand_detail.html",
        {
            "project": project,
            "reviews": selectors.brand_reviews(project=project),
            "can_decide": services.is_level_above(request.user, project.unit),
            "review_form": BrandReviewForm(initial={"year": timezone.localdate().year}),
            "breadcrumbs": [
                {"label": _("党建品牌"), "url": reverse("activities:brand_list")},
                {"label": project.name},
            ],
        },
    )


@permission_required("activities.view_brand")
@require_POST
def brand_decide(request, pk: int):
    project = selectors.brand_get(user=request.user, pk=pk)
    _attempt(
        request,
        services.brand_decide,
        project=project,
        approve=request.POST.get("approve") == "1",
        note=request.POST.get("note", ""),
    )
    return redirect("activities:brand_detail", pk=pk)


@permission_required("activities.view_brand")
@require_POST
def brand_review(request, pk: int):
    project = selectors.brand_get(user=request.user, pk=pk)
    form = BrandReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写年度和评定等次。"))
        return redirect("activities:brand_detail", pk=pk)
    _attempt(request, services.brand_review, project=project, **form.cleaned_data)
    return redirect("activities:brand_detail", pk=pk)


# ================================================================================= proposals
@permission_required("activities.submit_proposal")
@require_GET
def proposal_list(request):
    status = params.get_str(request.GET, "status", max_length=20)
    status = status if status in ProposalStatus.values else ""
    page = paginate(request, selectors.proposal_list(user=request.user, status=status))
    return render(
        request,
        "activities/proposal_list.html",
        {
            "page_obj": page,
            "status": status,
            "statuses": ProposalStatus.choices,
            "breadcrumbs": [{"label": _("合理化建议")}],
        },
    )


@permission_required("activities.submit_proposal")
@require_http_methods(["GET", "POST"])
def proposal_new(request):
    form = ProposalForm(request.POST or None)
    unit = selectors.proposal_unit(user=request.user)
    if request.method == "POST" and form.is_valid():
        if unit is None:
            raise PermissionDenied("activities.submit_proposal")
        try:
            p = services.proposal_submit(
                actor=request.user,
                unit=unit,
                title=form.cleaned_data["title"],
                content=form.cleaned_data["content"],
                request=request,
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("建议已提交，感谢您的意见。"))
            return redirect("activities:proposal_detail", pk=p.pk)
    return render(
        request,
        "activities/form.html",
        {
            "form": form,
            "title": _("提交合理化建议"),
            "breadcrumbs": [
                {"label": _("合理化建议"), "url": reverse("activities:proposal_list")},
                {"label": _("提交")},
            ],
        },
    )


@permission_required("activities.submit_proposal")
@require_GET
def proposal_detail(request, pk: int):
    p = selectors.proposal_get(user=request.user, pk=pk)
    can_review = request.user.has_perm("activities.review_proposal") and user_scope(
        request.user
    ).covers(p.unit)
    return render(
        request,
        "activities/proposal_detail.html",
        {
            "p": p,
            "can_review": can_review,
            "review_form": ProposalReviewForm(),
            "breadcrumbs": [
                {"label": _("合理化建议"), "url": reverse("activities:proposal_list")},
                {"label": p.title},
            ],
        },
    )


@permission_required("activities.review_proposal")
@require_POST
def proposal_review(request, pk: int):
    p = selectors.proposal_get(user=request.user, pk=pk)
    form = ProposalReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择评审结果。"))
        return redirect("activities:proposal_detail", pk=pk)
    _attempt(request, services.proposal_review, proposal=p, **form.cleaned_data)
    return redirect("activities:proposal_detail", pk=pk)


@permission_required("activities.review_proposal")
@require_POST
def proposal_implement(request, pk: int):
    p = selectors.proposal_get(user=request.user, pk=pk)
    _attempt(request, services.proposal_implement, proposal=p, note=request.POST.get("note", ""))
    return redirect("activities:proposal_detail", pk=pk)
