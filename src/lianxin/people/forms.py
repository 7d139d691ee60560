from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.core.forms import Form, FormTokenField, fresh_form_token
from lianxin.core.validators import validate_id_number, validate_phone
from lianxin.org.pickers import UnitChoiceField
from lianxin.people.models import Gender
from lianxin.people.tags import CARE_TAG_LABELS

CARE_TAGS = list(CARE_TAG_LABELS)  # 独居老人, 低保户, 留守儿童, 残疾人, 退役军人, 脱贫户


class HouseholdForm(Form):
    form_token = FormTokenField()
    grid = UnitChoiceField(
        label=_("网格"), queryset=None, empty_label=_("请选择网格")
    )  # by town, "村 · 网格"
    address = forms.CharField(label=_("住址"), max_length=200)
    tags = forms.MultipleChoiceField(
        label=_("关爱标签"),
        required=False,
        choices=[(t, CARE_TAG_LABELS[t]) for t in CARE_TAGS],
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, grids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grids
        self.fields["form_token"].initial = fresh_form_token()


class PersonForm(Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    relation = forms.CharField(label=_("与户主关系"), max_length=20, required=False)
    id_number = forms.CharField(
        label=_("身份证号"), max_length=18, required=False, validators=[validate_id_number]
    )
    phone = forms.CharField(
        label=_("手机号"), max_length=20, required=False, validators=[validate_phone]
    )
    gender = forms.ChoiceField(
        label=_("性别"), choices=[("", _("按身份证号自动识别")), *Gender.choices], required=False
    )


class PersonNewForm(PersonForm):
    """Registering a member: the same form posted twice is one person (core.idempotency)."""

    form_token = FormTokenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form_token"].initial = fresh_form_token()
