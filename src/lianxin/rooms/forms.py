"""Input forms of 功能室预约: they parse and label fields; the rules live in services."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.core.forms import Form, FormTokenField, ModelForm
from lianxin.rooms.models import Audience, Room, RoomFunction


class BookingForm(Form):
    day = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(
        label=_("开始时间"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    hours = forms.TypedChoiceField(
        label=_("时长"), coerce=int, choices=[(1, _("1 小时")), (2, _("2 小时")), (3, _("3 小时"))]
    )
    group_name = forms.CharField(label=_("团体/活动名称"), max_length=60)
    audience = forms.ChoiceField(label=_("服务对象"), choices=Audience.choices)
    attendees = forms.IntegerField(label=_("预计人数"), min_value=1, max_value=500, initial=10)
    purpose = forms.CharField(label=_("用途"), max_length=200, required=False)
    token = FormTokenField(max_length=64)

    def clean(self):
        data = super().clean()
        if data.get("day") and data.get("start") and data.get("hours"):
            starts = datetime.combine(
                data["day"], data["start"], tzinfo=timezone.get_current_timezone()
            )
            data["starts_at"] = starts
            data["ends_at"] = starts + timedelta(hours=data["hours"])
        return data


class RoomForm(ModelForm):
    class Meta:
        model = Room
        fields = [
            "name",
            "function",
            "area",
            "capacity",
            "facilities",
            "opens_at",
            "closes_at",
            "slot_minutes",
            "requires_approval",
            "is_bookable",
            "booking_horizon_days",
        ]
        widgets = {
            "opens_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "closes_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "slot_minutes": forms.Select(choices=[(30, "30"), (60, "60"), (120, "120")]),
            "function": forms.Select(choices=RoomFunction.choices),
        }


WEEKDAYS = [
    ("0", _("周一")),
    ("1", _("周二")),
    ("2", _("周三")),
    ("3", _("周四")),
    ("4", _("周五")),
    ("5", _("周六")),
    ("6", _("周日")),
]


class SlotRuleForm(Form):
    weekdays = forms.MultipleChoiceField(
        label=_("星期"),
        choices=WEEKDAYS,
        widget=forms.CheckboxSelectMultiple,
        initial=["0", "1", "2", "3", "4"],
    )
    starts = forms.TimeField(
        label=_("开始"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    ends = forms.TimeField(
        label=_("结束"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    audience = forms.ChoiceField(label=_("服务对象"), choices=Audience.choices)
    note = forms.CharField(label=_("说明"), max_length=100, required=False)
