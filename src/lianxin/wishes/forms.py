from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.core.forms import Form, FormTokenField
from lianxin.org.pickers import PICKER_ATTRS, grouped_unit_choices
from lianxin.wishes.models import ClaimantKind, WishCategory


class WishForm(Form):
    key = FormTokenField(max_length=36)  # the wish's submission_key column
    title = forms.CharField(
        label=_("心愿"), max_length=60, help_text=_("一句话，例如：想要一台收音机")
    )
    category = forms.ChoiceField(label=_("类别"), choices=WishCategory.choices)
    content = forms.CharField(
        label=_("详细说明"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    value = forms.DecimalField(
        label=_("估计价值（元）"), required=False, min_value=0, max_value=2000, decimal_places=2
    )


def fresh_key() -> str:
    return uuid.uuid4().hex


class WishOnBehalfForm(WishForm):
    unit = forms.ChoiceField(label=_("心愿人所在网格"))
    beneficiary_name = forms.CharField(label=_("心愿人姓名"), max_length=50)
    beneficiary_tag = forms.ChoiceField(
        label=_("心愿人类别"),
        required=False,
        choices=[
            ("", "—"),
            ("独居老人", _("独居老人")),
            ("留守儿童", _("留守儿童")),
            ("低保户", _("低保户")),
            ("残疾人", _("残疾人")),
            ("困难群众", _("困难群众")),
        ],
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = grouped_unit_choices(
            units
        )  # by town, "村 · 网格" (org.pickers)
        self.fields["unit"].widget.attrs.update(PICKER_ATTRS)


class DeclineForm(Form):
    reason = forms.CharField(label=_("未通过原因"), max_length=200)


class ClaimForm(Form):
    kind = forms.ChoiceField(
        label=_("认领身份"), choices=ClaimantKind.choices, initial=ClaimantKind.PARTY_MEMBER
    )
    team = forms.IntegerField(required=False, widget=forms.HiddenInput)


class LightForm(Form):
    photo = forms.FileField(
        label=_("点亮照片"),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp", "capture": "environment"}
        ),
        help_text=_("JPEG/PNG/WebP，不超过 8 MB；照片中的位置信息会被自动清除。"),
    )
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class ConfirmForm(Form):
    thanks = forms.CharField(label=_("感谢的话（选填）"), max_length=300, required=False)
