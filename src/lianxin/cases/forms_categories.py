"""Input parsing of the "诉求分类与时限" screen (the rules themselves live in cases.category_admin)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.cases.category_admin import MAX_AMOUNT, PRIORITIES, RuleInput
from lianxin.cases.models import Category, DueUnit, Priority
from lianxin.core.forms import Form

AMOUNT_MAX = max(MAX_AMOUNT.values())


class CategoryForm(Form):
    bounded_model = Category

    name = forms.CharField(label=_("名称"), max_length=50)
    name_en = forms.CharField(
        label=_("英文名称"),
        max_length=80,
        required=False,
        help_text=_("英文界面显示的名称；不填则显示中文名称。"),
    )
    default_priority = forms.ChoiceField(label=_("默认紧急程度"), choices=Priority.choices)
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, initial=0)
    version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=32)


class CategoryCreateForm(CategoryForm):
    code = forms.CharField(
        label=_("编码"),
        max_length=40,
        help_text=_("小写字母、数字和连字符，如 env-noise；创建后不能修改。"),
    )
    parent = forms.ModelChoiceField(
        label=_("上级分类"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("（无，作为一级分类）"),
    )
    version = None
    field_order = ["code", "name", "name_en", "parent", "default_priority", "sort_order"]

    def __init__(self, *args, parents=None, **kwargs):
        super().__init__(*args, **kwargs)
        if parents is not None:
            self.fields["parent"].queryset = parents


class RulesForm(Form):
    """One row per priority: 沿用 (inherit) or an own 签收 and 办结 amount with its unit."""

    version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=32)

    def __init__(self, *args, inherit_label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        for p in PRIORITIES:
            label = Priority(p).label
            self.fields[f"{p}_inherit"] = forms.BooleanField(
                label=inherit_label or _("沿用"), required=False
            )
            for part, what in (("accept", _("签收时限")), ("resolve", _("办结时限"))):
                self.fields[f"{p}_{part}_amount"] = forms.IntegerField(
                    label=_("%(priority)s·%(what)s") % {"priority": label, "what": what},
                    required=False,
                    min_value=1,
                    max_value=AMOUNT_MAX,
                    error_messages={
                        "invalid": _("请输入正整数。"),
                        "min_value": _("请输入正整数。"),
                        "max_value": _("不能超过 %(limit_value)s。"),
                    },
                    widget=forms.NumberInput(attrs={"min": 1, "max": AMOUNT_MAX, "step": 1}),
                )
                self.fields[f"{p}_{part}_unit"] = forms.ChoiceField(
                    label=_("%(priority)s·%(what)s单位") % {"priority": label, "what": what},
                    choices=DueUnit.choices,
                    required=False,
                )

    def clean(self):
        data = super().clean()
        for p in PRIORITIES:
            if data.get(f"{p}_inherit"):
                continue
            for part in ("accept", "resolve"):
                if (
                    data.get(f"{p}_{part}_amount") is None
                    and f"{p}_{part}_amount" not in self.errors
                ):
                    self.add_error(f"{p}_{part}_amount", _("请填写时限，或勾选“沿用”。"))
                if not data.get(f"{p}_{part}_unit") and f"{p}_{part}_unit" not in self.errors:
                    self.add_error(f"{p}_{part}_unit", _("请选择“小时”或“工作日”。"))
        return data

    def rules(self) -> dict[str, RuleInput | None]:
        data = self.cleaned_data
        out: dict[str, RuleInput | None] = {}
        for p in PRIORITIES:
            if data.get(f"{p}_inherit"):
                out[p] = None
            else:
                out[p] = RuleInput(
                    data[f"{p}_accept_amount"],
                    data[f"{p}_accept_unit"],
                    data[f"{p}_resolve_amount"],
                    data[f"{p}_resolve_unit"],
                )
        return out

    def rows(self):
        """(priority label, inherit, accept amount, accept unit, resolve amount, resolve unit)."""
        for p in PRIORITIES:
            yield (
                Priority(p).label,
                self[f"{p}_inherit"],
                self[f"{p}_accept_amount"],
                self[f"{p}_accept_unit"],
                self[f"{p}_resolve_amount"],
                self[f"{p}_resolve_unit"],
            )


def rules_initial(category, views) -> dict:
    """The form's starting values: each priority's effective rule, 沿用 ticked where inherited."""
    from lianxin.cases.category_admin import rules_version

    initial = {"version": rules_version(category)}
    for v in views:
        initial[f"{v.priority}_inherit"] = not v.own
        initial[f"{v.priority}_accept_amount"] = v.accept_amount
        initial[f"{v.priority}_accept_unit"] = v.accept_unit
        initial[f"{v.priority}_resolve_amount"] = v.resolve_amount
        initial[f"{v.priority}_resolve_unit"] = v.resolve_unit
    return initial
