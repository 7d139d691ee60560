"""Forms of the questionnaire builder (staff) and the answering page is built from the
questions themselves (views_answer)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.core.forms import Form
from lianxin.org.pickers import PICKER_ATTRS, grouped_unit_choices
from lianxin.surveys.models import AudienceKind, QuestionKind


class QuestionnaireForm(Form):
    title = forms.CharField(label=_("问卷标题"), max_length=100)
    intro = forms.CharField(
        label=_("说明"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    unit = forms.TypedChoiceField(label=_("发起单位"), coerce=int)
    audience_kind = forms.ChoiceField(
        label=_("调查对象"), choices=AudienceKind.choices, widget=forms.RadioSelect
    )
    audience_unit = forms.TypedChoiceField(
        label=_("对象单位（其下居民）"), coerce=int, required=False
    )
    audience_event = forms.TypedChoiceField(
        label=_("对象活动（已签到者）"), coerce=int, required=False
    )
    opens_on = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("截止日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, owners=(), units=(), events=(), editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in owners]
        blank = [("", "—")]
        self.fields["audience_unit"].choices = blank + grouped_unit_choices(units)
        self.fields["audience_unit"].widget.attrs.update(PICKER_ATTRS)
        self.fields["audience_event"].choices = blank + [
            (e.pk, f"{e.starts_at:%Y-%m-%d} {e.title}（{e.unit.name}）") for e in events
        ]
        if editing:
            del self.fields["unit"]

    def clean(self):
        data = super().clean()
        kind = data.get("audience_kind")
        if kind == AudienceKind.UNIT and not data.get("audience_unit"):
            self.add_error("audience_unit", _("请选择对象单位。"))
        if kind == AudienceKind.EVENT and not data.get("audience_event"):
            self.add_error("audience_event", _("请选择对象活动。"))
        return data


class QuestionForm(Form):
    kind = forms.ChoiceField(label=_("题型"), choices=QuestionKind.choices)
    text = forms.CharField(label=_("题目"), max_length=200)
    required = forms.BooleanField(label=_("必答"), required=False, initial=True)
    options = forms.CharField(
        label=_("选项（每行一个，选择题必填）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def option_lines(self) -> list[str]:
        return [line for line in self.cleaned_data.get("options", "").splitlines() if line.strip()]
