"""The tree on screen: new child unit, rename, close, move, 党建联合体 members (org.tree)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST

from lianxin.core.decorators import permission_required
from lianxin.core.forms import add_validation_error
from lianxin.org import selectors, tree
from lianxin.org.forms_actions import PostAction, post_action
from lianxin.org.forms_tree import (
    AllianceMemberForm,
    UnitAddForm,
    UnitMoveForm,
    alliance_member_choices,
)
from lianxin.org.models import ALLOWED_PARENTS, UnitKind


def _back(unit):
    return redirect(reverse("org:unit_detail", args=[unit.code]))


def _crumbs(unit, label):
    return [
        {"label": _("组织架构"), "url": reverse("org:unit_list")},
        {"label": unit.name, "url": reverse("org:unit_detail", args=[unit.code])},
        {"label": label},
    ]


@permission_required("org.add_unit")
@require_http_methods(["GET", "POST"])
def unit_new(request, code: str):
    parent = selectors.unit_get(user=request.user, code=code)
    kinds = tree.creatable_kinds(parent)
    form = UnitAddForm(
        request.POST or None,
        kinds=kinds,
        companies=selectors.tree_targets(user=request.user, kinds=[UnitKind.ENTERPRISE]),
        owners=selectors.tree_targets(user=request.user, kinds=ALLOWED_PARENTS[UnitKind.PARTY_ORG]),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = tree.unit_add(
                actor=request.user,
                parent=parent,
                kind=data["kind"],
                name=data["name"],
                address=data.get("address") or "",
                management_company=data.get("management_company"),
                belongs_to=data.get("belongs_to"),
                party_org_form=data.get("party_org_form") or "",
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("已新建“%(name)s”。") % {"name": unit.name})
            return _back(unit)
    return render(
        request,
        "org/unit_new.html",
        {"form": form, "unit": parent, "breadcrumbs": _crumbs(parent, _("新建下级单元"))},
    )


def _back_url(unit) -> str:
    return reverse("org:unit_detail", args=[unit.code])


def _rename(request, unit) -> dict:
    return {"unit": unit, "name": request.POST.get("name", "")[:200]}


def _member(request, alliance) -> dict:
    form = AllianceMemberForm(request.POST, units=alliance_member_choices(alliance))
    if not form.is_valid():
        raise ValidationError(_("请选择成员单位。"))
    return {"alliance": alliance, "member": form.cleaned_data["member"]}


# The tree's POST-then-redirect steps (org.forms_actions): the service, its arguments from the
# POST, the success message; each goes back to the unit's page.
ACTIONS: dict[str, PostAction] = {
    "rename": PostAction(tree.unit_rename, _rename, _lazy("已重命名。"), _back_url),
    "close": PostAction(
        tree.unit_close,
        lambda request, unit: {"unit": unit},
        lambda unit, _result: _("已关闭“%(name)s”。") % {"name": unit.name},
        _back_url,
    ),
    "member_add": PostAction(
        tree.alliance_member_add, _member, _lazy("已添加成员单位。"), _back_url
    ),
    # on a member row (an AllianceMember): back to its alliance
    "member_remove": PostAction(
        tree.alliance_member_remove,
        lambda request, row: {"row": row},
        _lazy("已移出成员单位。"),
        lambda row: _back_url(row.alliance),
    ),
}


@permission_required("org.change_unit")
@require_POST
def unit_rename(request, code: str):
    unit = selectors.unit_get(user=request.user, code=code)
    return post_action(request, ACTIONS, "rename", unit, fallback=_back_url(unit))


@permission_required("org.change_unit")
@require_POST
def unit_close(request, code: str):
    unit = selectors.unit_get(user=request.user, code=code)
    return post_action(request, ACTIONS, "close", unit, fallback=_back_url(unit))


@permission_required("org.change_unit")
@require_http_methods(["GET", "POST"])
def unit_move(request, code: str):
    unit = selectors.unit_get(user=request.user, code=code)
    targets = selectors.tree_targets(
        user=request.user, kinds=ALLOWED_PARENTS.get(unit.kind, set()) - {None}, exclude_under=unit
    )
    form = UnitMoveForm(request.POST or None, targets=targets)
    if request.method == "POST" and form.is_valid():
        try:
            tree.unit_move(
                actor=request.user, unit=unit, new_parent=form.cleaned_data["new_parent"]
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("已移动，下级单元随之调整。"))
            return _back(unit)
    return render(
        request,
        "org/unit_move.html",
        {"form": form, "unit": unit, "breadcrumbs": _crumbs(unit, _("移动到…"))},
    )


@permission_required("org.change_unit")
@require_POST
def alliance_member_add(request, code: str):
    alliance = selectors.unit_get(user=request.user, code=code)
    return post_action(request, ACTIONS, "member_add", alliance, fallback=_back_url(alliance))


@permission_required("org.change_unit")
@require_POST
def alliance_member_remove(request, code: str, pk: int):
    alliance = selectors.unit_get(user=request.user, code=code)
    row = selectors.alliance_member_get(user=request.user, alliance=alliance, pk=pk)
    return post_action(request, ACTIONS, "member_remove", row, fallback=_back_url(alliance))


def tree_panel(user, unit) -> dict:
    """What the unit page shows of the tree actions: the buttons the user may use, and an
    alliance's members with the add form."""
    can_change = user.has_perm("org.change_unit", unit)
    panel = {
        "can_add": user.has_perm("org.add_unit", unit) and bool(tree.creatable_kinds(unit)),
        "can_change": can_change,
        "is_alliance": unit.kind == UnitKind.ALLIANCE,
    }
    if panel["is_alliance"]:
        panel["members"] = selectors.alliance_members(user=user, alliance=unit)
        if can_change:
            panel["member_form"] = AllianceMemberForm(units=alliance_member_choices(unit))
    return panel
