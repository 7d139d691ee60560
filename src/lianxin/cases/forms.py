"""Input parsing for the intake, workbench and action forms (no business rules here)."""

from __future__ import annotations

import re

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from lianxin.cases.models import Category, Priority, Rating
from lianxin.core.forms import Form, FormTokenField
from lianxin.org.models import Unit, UnitKind
from lianxin.org.pickers import UnitSelect, VillageChoiceField

PHONE_RE = re.compile(r"^1[3-9]\d{9}$|^0\d{2,3}-?\d{7,8}$")


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.parent.name} · {obj.name}" if obj.parent_id else obj.name


class IntakeForm(Form):
    """The resident's phone page (and the base of the staff entry form)."""

    # Stored as "staff:<token>" (or "web:") in a 64-character column.
    form_token = FormTokenField(max_length=58, required=True)
    category = CategoryChoiceField(
        label=_("诉求类别"),
        queryset=Category.objects.filter(is_active=True).select_related("parent"),
        empty_label=_("请选择"),
    )
    title = forms.CharField(
        label=_("一句话说明"),
        max_length=80,
        min_length=4,
        widget=forms.TextInput(attrs={"placeholder": _("例如：小区门口路灯不亮")}),
    )
    description = forms.CharField(
        label=_("详细情况"),
        max_length=2000,
        min_length=10,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    # Grouped by town, labels unique, type-to-filter (org.pickers); picking one loads its grids.
    village = VillageChoiceField(
        label=_("所在村（社区）"),
        required=False,
        widget=UnitSelect(
            attrs={
                "class": "form-select",
                "hx-get": reverse_lazy("cases:grid_options"),
                "hx-target": "#id_grid",
                "hx-trigger": "change",
            }
        ),
    )
    grid = forms.ModelChoiceField(
        label=_("所在网格"),
        required=False,
        queryset=Unit.objects.filter(kind__in=[UnitKind.GRID, UnitKind.MICRO_GRID], is_active=True),
        empty_label=_("请选择，或在地图上点选位置"),
    )
    lat = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-90, max_value=90)
    lng = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-180, max_value=180)
    address = forms.CharField(label=_("具体地点"), max_length=200, required=False)
    reporter_name = forms.CharField(label=_("您的称呼"), max_length=50)
    reporter_phone = forms.CharField(label=_("手机号"), max_length=20)
    photo = forms.FileField(
        label=_("照片（可选）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def clean_reporter_phone(self):
        phone = self.cleaned_data["reporter_phone"].strip()
        if not PHONE_RE.match(phone):
            raise forms.ValidationError(_("请输入正确的手机号或座机号。"))
        return phone

    def clean(self):
        data = super().clean()
        if not data.get("grid") and (data.get("lat") is None or data.get("lng") is None):
            raise forms.ValidationError(_("请选择所在网格，或在地图上点选位置。"))
        return data


class StaffIntakeForm(IntakeForm):
    priority = forms.ChoiceField(
        label=_("紧急程度"), choices=Priority.choices, initial=Priority.NORMAL
    )
    photo = None


class EvaluateForm(Form):
    rating = forms.ChoiceField(
        label=_("您的评价"),
        widget=forms.RadioSelect,
        choices=[
            (Rating.SATISFIED, Rating.SATISFIED.label),
            (Rating.BASIC, Rating.BASIC.label),
            (Rating.UNSATISFIED, Rating.UNSATISFIED.label),
        ],
    )
    comment = forms.CharField(
        label=_("意见（可选）"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    phone = forms.CharField(label=_("提交时所留手机号"), max_length=20, required=False)


def _category_choices() -> list[tuple[object, str]]:
    from lianxin.cases.category_cache import top_category_choices

    return [("", _("全部类别")), *top_category_choices()]


class FilterForm(Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=50)
    # The pk of a top-level category; its choices come from the process's copy of the list
    # (cases.category_cache: one query less on every workbench view).
    category = forms.TypedChoiceField(
        label=_("类别"), required=False, coerce=int, empty_value=None, choices=_category_choices
    )
    state = forms.ChoiceField(label=_("状态"), required=False)
    grid = forms.IntegerField(required=False, widget=forms.HiddenInput)
    date_from = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    overdue = forms.BooleanField(label=_("仅超时"), required=False)
    sort = forms.ChoiceField(
        label=_("排序"),
        required=False,
        choices=[
            ("-created", _("最新提交")),
            ("created", _("最早提交")),
            ("due", _("办结时限")),
            ("accept_due", _("签收时限")),
        ],
    )

    def __init__(self, *args, **kwargs):
        from lianxin.cases.models import State

        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("全部状态")), *State.choices]
