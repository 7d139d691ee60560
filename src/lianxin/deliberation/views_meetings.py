"""Thin views of 议事会议: list, convene, the meeting page (agenda, invitations, attendance,
minutes, votes, decisions), the door QR and the check-in page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lianxin.core import params
from lianxin.core.decorators import permission_required
from lianxin.core.forms import add_validation_error
from lianxin.core.paging import paginate
from lianxin.core.qr import qr_svg_response
from lianxin.deliberation import selectors, services
from lianxin.deliberation.forms import MeetingForm, VoteForm
from lianxin.deliberation.models import MeetingKind, MeetingStatus, Topic
from lianxin.deliberation.views_topics import error_messages


def _crumbs(*extra):
    return [{"label": _("议事会议"), "url": reverse("deliberation:meeting_list")}, *extra]


@permission_required("deliberation.convene_meeting")
@require_GET
def meeting_list(request):
    kind = params.get_choice(request.GET, "kind", MeetingKind.values)
    status = params.get_choice(request.GET, "status", MeetingStatus.values)
    page = paginate(request, selectors.meeting_list(user=request.user, kind=kind, status=status))
    return render(
        request,
        "deliberation/meeting_list.html",
        {
            "page_obj": page,
            "kind": kind,
            "status": status,
            "kinds": MeetingKind.choices,
            "breadcrumbs": [{"label": _("议事会议")}],
        },
    )


@permission_required("deliberation.convene_meeting")
@require_http_methods(["GET", "POST"])
def meeting_new(request):
    user = request.user
    units = list(selectors.convene_units(user=user))
    topics = list(
        Topic.objects.visible_to(user)
        .filter(status__in=("open", "scheduled"))
        .select_related("unit")
        .order_by("-support_count", "-id")[:100]
    )
    initial: dict = {}
    wanted = params.get_id(request.GET, "topic")
    if wanted and any(t.pk == wanted for t in topics):
        initial["topics"] = [wanted]
    form = MeetingForm(
        request.POST or None,
        initial=initial,
        units=units,
        rooms=selectors.meeting_rooms(user=user),
        topics=topics,
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        unit = next((u for u in units if u.pk == d["unit"]), None)
        if unit is None:
            raise PermissionDenied
        chosen = [t for t in topics if t.pk in set(d["topics"])]
        try:
            meeting = services.meeting_create(
                actor=user,
                unit=unit,
                kind=d["kind"],
                title=d["title"],
                starts_at=d["starts_at"],
                ends_at=d["ends_at"],
                place=d["place"],
                room=d["room"],
                quorum_rule=d["quorum_rule"],
                vote_rule=d["vote_rule"],
                host=d["host"],
                recorder=d["recorder"],
                topics=chosen,
                request=request,
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("会议已安排。"))
            return redirect("deliberation:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "deliberation/meeting_form.html",
        {"form": form, "breadcrumbs": _crumbs({"label": _("安排会议")})},
    )


@permission_required("deliberation.convene_meeting")
@require_GET
def meeting_detail(request, pk: int):
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    items = selectors.meeting_items(meeting=meeting)
    for item in items:
        decision = getattr(item, "decision", None)
        item.owner_choices = selectors.owner_units(decision=decision) if decision else []
    return render(
        request,
        "deliberation/meeting_detail.html",
        {
            "meeting": meeting,
            "items": items,
            "roster": selectors.roster(meeting=meeting),
            "quorum": services.quorum(meeting),
            "open_topics": selectors.open_topics_for(meeting=meeting),
            "groups": selectors.invite_groups(meeting=meeting),
            "people": selectors.invitable_people(meeting=meeting),
            "vote_form": VoteForm(),
            "breadcrumbs": _crumbs({"label": meeting.title}),
        },
    )


def _meeting_act(request, pk: int, fn, ok: str, **kwargs):
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    try:
        fn(actor=request.user, meeting=meeting, request=request, **kwargs)
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(request, ok)
    return redirect("deliberation:meeting_detail", pk=pk)


@permission_required("deliberation.convene_meeting")
@require_POST
def meeting_cancel(request, pk: int):
    return _meeting_act(request, pk, services.meeting_cancel, _("会议已取消，功能室预约已释放。"))


@permission_required("deliberation.convene_meeting")
@require_POST
def agenda_add(request, pk: int):
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    topic_id = params.get_id(request.POST, "topic")
    topic = None
    if topic_id:
        topic = next(
            (t for t in selectors.open_topics_for(meeting=meeting) if t.pk == topic_id), None
        )
        if topic is None:
            messages.error(request, _("请选择本村（社区）的议题。"))
            return redirect("deliberation:meeting_detail", pk=pk)
    title = params.get_str(request.POST, "title", max_length=100)
    return _meeting_act(
        request, pk, services.agenda_add, _("已加入议程。"), topic=topic, title=title
    )


@permission_required("deliberation.convene_meeting")
@require_POST
def meeting_invite(request, pk: int):
    """Invite a group (a grid, an estate, the village) or one person of the village."""
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    person_id = params.get_id(request.POST, "person")
    if person_id:
        person = next(
            (p for p in selectors.invitable_people(meeting=meeting) if p.pk == person_id), None
        )
        if person is None:
            messages.error(request, _("请选择本村（社区）的人员。"))
            return redirect("deliberation:meeting_detail", pk=pk)
        return _meeting_act(request, pk, services.invite_people, _("已发出邀请。"), people=[person])
    group = selectors.invite_group_get(meeting=meeting, pk=params.get_id(request.POST, "group"))
    if group is None:
        messages.error(request, _("请选择要邀请的网格或小区。"))
        return redirect("deliberation:meeting_detail", pk=pk)
    return _meeting_act(request, pk, services.invite_group, _("已发出邀请。"), group=group)


@permission_required("deliberation.convene_meeting")
@require_GET
def meeting_qr(request, pk: int):
    """The door QR code (SVG): a signed token that opens the check-in page."""
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    url = request.build_absolute_uri(checkin_path(meeting))
    return qr_svg_response(url)


def checkin_path(meeting) -> str:
    return reverse("deliberation:checkin", args=[services.checkin_token(meeting=meeting)])


@permission_required("deliberation.convene_meeting")
@require_GET
def meeting_door(request, pk: int):
    """A page to print or show at the door: the QR code, the meeting and the check-in link."""
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    return render(
        request,
        "deliberation/meeting_door.html",
        {"meeting": meeting, "checkin_url": request.build_absolute_uri(checkin_path(meeting))},
    )


@permission_required("deliberation.checkin")
@require_http_methods(["GET", "POST"])
def checkin(request, token: str):
    try:
        meeting_id = services.checkin_meeting_from_token(token)
    except ValidationError as exc:
        return render(request, "deliberation/checkin.html", {"error": exc.messages[0]}, status=400)
    meeting = selectors.checkin_meeting(user=request.user, pk=meeting_id)
    row, error = None, ""
    if request.method == "POST":
        try:
            row = services.meeting_checkin(actor=request.user, meeting=meeting, request=request)
        except ValidationError as exc:
            error = exc.messages[0]
        except PermissionDenied as exc:
            error = str(exc) or _("您不在本次会议的参会范围内。")
    return render(
        request,
        "deliberation/checkin.html",
        {"meeting": meeting, "row": row, "error": error, "token": token},
    )


@permission_required("deliberation.convene_meeting")
@require_POST
def attendance_mark(request, pk: int):
    row = selectors.attendance_get(user=request.user, pk=pk)
    present = request.POST.get("present", "1") != "0"
    try:
        services.attendance_mark(
            actor=request.user, attendance=row, present=present, request=request
        )
    except ValidationError as exc:
        error_messages(request, exc)
    return redirect(reverse("deliberation:meeting_detail", args=[row.meeting_id]) + "#roster")


def _item_act(request, pk: int, fn, ok: str, **kwargs):
    item = selectors.item_get(user=request.user, pk=pk)
    try:
        fn(actor=request.user, item=item, request=request, **kwargs)
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(request, ok)
    return redirect(reverse("deliberation:meeting_detail", args=[item.meeting_id]) + f"#item-{pk}")


@permission_required("deliberation.convene_meeting")
@require_POST
def item_minutes(request, pk: int):
    text = params.get_str(request.POST, "minutes", max_length=4000)
    return _item_act(request, pk, services.minutes_record, _("会议记录已保存。"), minutes=text)


@permission_required("deliberation.convene_meeting")
@require_POST
def item_vote(request, pk: int):
    form = VoteForm(request.POST)
    if not form.is_valid():
        item = selectors.item_get(user=request.user, pk=pk)
        messages.error(request, _("请填写赞成、反对、弃权人数。"))
        return redirect("deliberation:meeting_detail", pk=item.meeting_id)
    return _item_act(request, pk, services.vote_record, _("表决结果已记录。"), **form.cleaned_data)


@permission_required("deliberation.convene_meeting")
@require_POST
def item_decide(request, pk: int):
    text = params.get_str(request.POST, "text", max_length=2000)
    return _item_act(request, pk, services.decision_record, _("决议已记录。"), text=text)
