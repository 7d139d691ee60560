"""Forms of the 督办 console (the rules live in the services; these only parse input)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.core.forms import Form
from lianxin.supervision.models import DecisionKind

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"})
DATE = forms.DateInput(attrs={"type": "date"})


class IssueForm(Form):
    unit = forms.TypedChoiceField(label=_("被督办单位"), coerce=int)
    title = forms.CharField(label=_("督办事项"), max_length=120)
    instruction = forms.CharField(
        label=_("督办要求"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    due_at = forms.DateTimeField(label=_("回复时限"), widget=DATETIME)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]


class ReplyForm(Form):
    reply = forms.CharField(
        label=_("书面回复"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )


class AcceptForm(Form):
    note = forms.CharField(
        label=_("验收意见"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReissueForm(Form):
    instruction = forms.CharField(
        label=_("重新督办要求"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    due_at = forms.DateTimeField(label=_("回复时限"), widget=DATETIME)


class DecisionForm(Form):
    kind = forms.ChoiceField(label=_("问责方式"), choices=DecisionKind.choices)
    responsible = forms.CharField(label=_("责任人"), max_length=60)
    reason = forms.CharField(
        label=_("事由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    due_on = forms.DateField(label=_("完成期限"), widget=DATE)


class NoteForm(Form):
    text = forms.CharField(
        label=_("跟踪记录"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CloseForm(Form):
    note = forms.CharField(
        label=_("办结说明"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
