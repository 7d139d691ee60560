"""Forms of 议事协商 (thin: the services hold the rules)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.core.forms import Form, FormTokenField, fresh_form_token
from lianxin.deliberation.models import ActionItem, AgendaItem, MeetingKind, QuorumRule, VoteRule
from lianxin.events.forms import DateTimeInput
from lianxin.org.pickers import UnitSelect, grouped_unit_choices

__all__ = ["fresh_form_token"]


class TopicForm(Form):
    title = forms.CharField(label=_("议题"), max_length=80)
    content = forms.CharField(
        label=_("议题内容"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("说清楚是什么事、涉及哪些住户、希望怎么解决。"),
    )
    key = FormTokenField()


class StaffTopicForm(TopicForm):
    unit = forms.TypedChoiceField(label=_("所属单位"), coerce=int, widget=UnitSelect)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = grouped_unit_choices(units)


class MeetingForm(Form):
    unit = forms.TypedChoiceField(
        label=_("召集单位"),
        coerce=int,
        widget=UnitSelect,
        help_text=_("业主恳谈会请选择物业项目。"),
    )
    kind = forms.ChoiceField(label=_("会议类型"), choices=MeetingKind.choices)
    title = forms.CharField(label=_("会议名称"), max_length=100)
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=DateTimeInput())
    room = forms.ModelChoiceField(
        label=_("会场（功能室）"),
        required=False,
        queryset=None,
        empty_label="—",
        help_text=_("选择后按会议时间预约该功能室；不预约时请填写地点。"),
    )
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    quorum_rule = forms.ChoiceField(label=_("法定人数"), choices=QuorumRule.choices)
    vote_rule = forms.ChoiceField(label=_("表决规则"), choices=VoteRule.choices)
    host = forms.CharField(label=_("主持人"), max_length=50, required=False)
    recorder = forms.CharField(label=_("记录人"), max_length=50, required=False)
    topics = forms.TypedMultipleChoiceField(
        label=_("列入议程的议题"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, units=(), rooms=None, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = grouped_unit_choices(units)
        self.fields["room"].queryset = rooms
        self.fields["topics"].choices = [(t.pk, f"{t.title}（{t.unit.name}）") for t in topics]


class VoteForm(Form):
    bounded_model = AgendaItem
    votes_for = forms.IntegerField(label=_("赞成"), min_value=0)
    votes_against = forms.IntegerField(label=_("反对"), min_value=0)
    votes_abstain = forms.IntegerField(label=_("弃权"), min_value=0)


class ActionForm(Form):
    owner_unit = forms.TypedChoiceField(label=_("责任单位"), coerce=int, widget=UnitSelect)
    title = forms.CharField(label=_("落实事项"), max_length=100)
    due_on = forms.DateField(label=_("完成时限"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].choices = grouped_unit_choices(units)


class ProgressForm(Form):
    bounded_model = ActionItem
    note = forms.CharField(label=_("进展情况"), max_length=300)
    progress = forms.IntegerField(label=_("进度（%）"), min_value=0, max_value=100)
    done = forms.BooleanField(label=_("已完成"), required=False)
