"""Forms for events and training programmes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.core.forms import Form, FormTokenField, fresh_form_token
from lianxin.events.models import Audience, Event, EventKind, SessionKind
from lianxin.org.models import Role
from lianxin.org.pickers import UnitSelect, grouped_unit_choices


def _unit_choices(units):
    """Units grouped by town, labels unique (org.pickers: issue 9, the flat list of 357 names)."""
    return grouped_unit_choices(units)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class EventForm(Form):
    bounded_model = Event  # capacity and hours bounded by the event's columns (core.forms)
    unit = forms.TypedChoiceField(label=_("举办单位"), coerce=int, widget=UnitSelect)
    kind = forms.ChoiceField(label=_("活动类型"), choices=EventKind.choices)
    title = forms.CharField(label=_("活动名称"), max_length=100)
    venue_room = forms.ModelChoiceField(
        label=_("预约功能室"),
        required=False,
        queryset=None,
        empty_label="—",
        help_text=_("选择后按活动时间在阵地模块预约该功能室；不预约功能室时请填写下面的地点。"),
    )
    place = forms.CharField(
        label=_("地点"),
        max_length=100,
        required=False,
        help_text=_("例如：村（社区）党群服务中心二楼；选择功能室时可留空。"),
    )
    room = forms.CharField(
        label=_("功能室（文字）"),
        max_length=60,
        required=False,
        help_text=_("未在阵地模块登记的场地可在此填写。"),
    )
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=DateTimeInput())
    capacity = forms.IntegerField(
        label=_("名额"), required=False, min_value=1, help_text=_("不限名额请留空。")
    )
    audience = forms.ChoiceField(label=_("面向对象"), choices=Audience.choices)
    hours = forms.DecimalField(
        label=_("志愿时长（小时）"),
        required=False,
        min_value=0,
        max_value=24,
        decimal_places=1,
        initial=0,
    )
    programme = forms.TypedChoiceField(
        label=_("培训项目"), required=False, coerce=int, empty_value=None
    )
    session_kind = forms.ChoiceField(
        label=_("课程形式"), required=False, choices=[("", "—"), *SessionKind.choices]
    )
    team = forms.TypedChoiceField(label=_("承办队伍"), required=False, coerce=int, empty_value=None)
    post = forms.TypedChoiceField(label=_("示范岗"), required=False, coerce=int, empty_value=None)
    service_items = forms.CharField(
        label=_("服务项目"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "便民服务日每行一个项目，例如：家电维修、地毯清洗、理发，每个项目单独排队叫号。"
        ),
    )
    description = forms.CharField(
        label=_("活动内容"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    form_token = FormTokenField()  # one event per submitted form (core.idempotency)

    def __init__(self, *args, units=(), programmes=(), teams=(), posts=(), rooms=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form_token"].initial = fresh_form_token()
        _room_field(self, rooms)
        self.fields["unit"].choices = _unit_choices(units)
        self.fields["post"].choices = [
            ("", "—"),
            *[(p.pk, f"{p.title}（{p.holder}）") for p in posts],
        ]
        self.fields["programme"].choices = [("", "—"), *[(p.pk, p.title) for p in programmes]]
        self.fields["team"].choices = [("", "—"), *[(t.pk, t.name) for t in teams]]

    def clean(self):
        data = super().clean()
        s, e = data.get("starts_at"), data.get("ends_at")
        if s and e and e <= s:
            self.add_error("ends_at", _("结束时间必须晚于开始时间。"))
        _need_place(self, data)
        return data


def _room_field(form, rooms) -> None:
    """Only the rooms handed in (the organiser's scope) are offered and accepted."""
    field = form.fields["venue_room"]
    if rooms is None:
        from lianxin.rooms.models import Room

        rooms = Room.objects.none()
    field.queryset = rooms
    field.label_from_instance = lambda r: f"{r.venue.name} · {r.name}（{r.capacity}人）"


def _need_place(form, data) -> None:
    if (
        not data.get("venue_room")
        and not (data.get("place") or "").strip()
        and "place" not in form.errors
    ):
        form.add_error("place", _("请填写地点，或选择要预约的功能室。"))


def _need_place(form, data) -> None:
    if (
        not data.get("venue_room")
        and not (data.get("place") or "").strip()
        and "place" not in form.errors
    ):
        form.add_error("place", _("请填写地点，或选择要预约的功能室。"))


class ProgrammeForm(Form):
    unit = forms.TypedChoiceField(label=_("主办单位"), coerce=int, widget=UnitSelect)
    title = forms.CharField(label=_("培训项目"), max_length=100)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    required_role = forms.ChoiceField(
        label=_("应训角色"),
        required=False,
        choices=[
            ("", "—"),
            *[
                (r.value, r.label)
                for r in (Role.PARTY_MEMBER, Role.VILLAGE_STAFF, Role.GRID_WORKER, Role.TOWN_STAFF)
            ],
        ],
        help_text=_("主办单位范围内担任该角色的人都应参训（全覆盖）。"),
    )
    min_sessions = forms.IntegerField(
        label=_("至少参加场次"),
        required=False,
        min_value=1,
        max_value=100,
        help_text=_("留空表示须参加全部场次；填 N 表示参加其中至少 N 场即计为已参训。"),
    )
    required_people = forms.CharField(
        label=_("应训人员（账号或手机号，每行一个）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("轮训某一批人时填写；可与应训角色同时使用。"),
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _unit_choices(units)


class EventEditForm(Form):
    bounded_model = Event
    title = forms.CharField(label=_("活动名称"), max_length=100)
    venue_room = forms.ModelChoiceField(
        label=_("预约功能室"),
        required=False,
        queryset=None,
        empty_label="—",
        help_text=_("更换功能室或时间时，原预约自动取消并重新预约。"),
    )
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    room = forms.CharField(label=_("功能室（文字）"), max_length=60, required=False)
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=DateTimeInput())
    capacity = forms.IntegerField(
        label=_("名额"),
        required=False,
        min_value=1,
        help_text=_("增加名额时，候补人员按顺序自动递补。"),
    )
    description = forms.CharField(
        label=_("活动内容"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, rooms=None, **kwargs):
        super().__init__(*args, **kwargs)
        _room_field(self, rooms)

    def clean(self):
        data = super().clean()
        _need_place(self, data)
        return data
