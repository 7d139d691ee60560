"""Forms for teams, model posts, responsibility areas and point rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.core.forms import Form
from lianxin.org.pickers import UnitSelect, grouped_unit_choices
from lianxin.volunteers.models import SourceKind, TeamKind


def _unit_choices(units):
    """Units grouped by town, labels unique (org.pickers: issue 9, the flat list of 357 names)."""
    return grouped_unit_choices(units)


class TeamForm(Form):
    unit = forms.TypedChoiceField(label=_("所属单位"), coerce=int, widget=UnitSelect)
    name = forms.CharField(label=_("队伍名称"), max_length=80)
    kind = forms.ChoiceField(label=_("队伍类型"), choices=TeamKind.choices)
    leader = forms.CharField(label=_("队长（账号或手机号）"), max_length=150, required=False)
    description = forms.CharField(label=_("服务内容"), max_length=300, required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _unit_choices(units)


class PostForm(Form):
    unit = forms.TypedChoiceField(label=_("所在单位"), coerce=int, widget=UnitSelect)
    holder = forms.CharField(label=_("岗位党员（账号或手机号）"), max_length=150)
    title = forms.CharField(label=_("岗位名称"), max_length=80)
    pledge = forms.CharField(label=_("服务承诺"), max_length=300, required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _unit_choices(units)


class AreaForm(Form):
    name = forms.CharField(label=_("责任区名称"), max_length=80)
    grids = forms.TypedMultipleChoiceField(
        label=_("包含网格"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, grids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grids"].choices = _unit_choices(grids)


class PointRuleForm(Form):
    source_kind = forms.ChoiceField(label=_("积分来源"), choices=SourceKind.choices)
    points = forms.IntegerField(label=_("积分"), min_value=0, max_value=100)
