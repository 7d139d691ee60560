"""Forms of the tree on screen (org.tree): only the kinds allowed under the parent are offered."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lianxin.core.forms import Form
from lianxin.org.models import PartyOrgForm, Unit, UnitKind
from lianxin.org.pickers import UnitChoiceField
from lianxin.org.tree import county_of


class UnitAddForm(Form):
    kind = forms.ChoiceField(label=_("类型"), choices=())
    name = forms.CharField(label=_("名称"), max_length=100)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    management_company = UnitChoiceField(
        label=_("物业服务企业"), queryset=None, required=False, help_text=_("仅物业项目填写。")
    )
    belongs_to = UnitChoiceField(
        label=_("所属单位"), queryset=None, required=False, help_text=_("仅党组织填写。")
    )
    party_org_form = forms.ChoiceField(
        label=_("组建方式"), choices=[("", "—"), *PartyOrgForm.choices], required=False
    )

    def __init__(self, *args, kinds: list[str], companies, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, UnitKind(k).label) for k in kinds]
        self.fields["management_company"].queryset = companies
        self.fields["belongs_to"].queryset = owners
        if UnitKind.PROPERTY_PROJECT not in kinds:
            del self.fields["management_company"]
        if UnitKind.PARTY_ORG not in kinds:
            del self.fields["belongs_to"]
            del self.fields["party_org_form"]


class UnitMoveForm(Form):
    new_parent = UnitChoiceField(label=_("移动到"), queryset=None)

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = targets


class AllianceMemberForm(Form):
    member = UnitChoiceField(label=_("成员单位"), queryset=None)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = units


def alliance_member_choices(alliance: Unit) -> QuerySet[Unit]:
    """The units a 党建联合体 may take as members: every active unit of its county, whichever
    town it lies in (the issue: "alliances whose members are units anywhere in the county").

    This list goes beyond the editor's scope on purpose, so it carries names and codes only
    (and the path, for grouping the picker by town): nothing else of a unit outside the editor's
    subtree reaches the page. Who may change the alliance, and the same-county rule, are
    ``tree.alliance_member_add``'s."""
    county = county_of(alliance)
    if county is None:
        return Unit.objects.none()
    return (
        Unit.objects.filter(path__startswith=county.path, is_active=True)
        .exclude(pk=alliance.pk)
        .only("pk", "code", "name", "kind", "path")
        .order_by("path")
    )
