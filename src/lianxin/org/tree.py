"""The tree on screen: create, rename, close and move units, and 党建联合体 members.

Who may act is ``org.rules.may_edit_tree_at`` (a county admin in their county, a town admin
inside their town). Administrative units keep their official code and division code; a unit is
never moved out of its county nor under its own descendant. A move rewrites the materialised
``path`` and ``depth`` of the whole subtree with two set-based UPDATEs in one transaction and
then sends ``org.signals.unit_moved`` in the same transaction, so apps that copy the tree
(``cases.unit_moves``) fix their rows before it commits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.org.models import (
    ADMINISTRATIVE_KINDS,
    TOWN_KINDS,
    VILLAGE_KINDS,
    AllianceMember,
    Unit,
    UnitKind,
    kinds_allowed_under,
)
from lianxin.org.rules import may_edit_tree_at
from lianxin.org.scoping import forget_scope
from lianxin.org.services import unit_create, unit_path
from lianxin.org.signals import unit_moved

if TYPE_CHECKING:
    from lianxin.accounts.models import User

# Code prefix of a unit made on screen: "<parent code>-<prefix><nn>".
CODE_PREFIX = {
    UnitKind.GRID: "G",
    UnitKind.MICRO_GRID: "M",
    UnitKind.DEPARTMENT: "D",
    UnitKind.PARTY_ORG: "P",
    UnitKind.ENTERPRISE: "E",
    UnitKind.SOCIAL_ORG: "S",
    UnitKind.PROPERTY_PROJECT: "W",
    UnitKind.ALLIANCE: "L",
}


def creatable_kinds(parent: Unit) -> list[str]:
    """Kinds that may be made on screen under ``parent``: allowed there and not administrative
    (administrative units come from the official division list, ``divisions_import``)."""
    return [k for k in kinds_allowed_under(parent.kind) if k not in ADMINISTRATIVE_KINDS]


def county_of(unit: Unit) -> Unit | None:
    """The county (县区) ``unit`` lies in, or None above the county level."""
    if unit.kind == UnitKind.COUNTY:
        return unit
    return unit.ancestors().filter(kind=UnitKind.COUNTY).first()


def _require(actor: User, unit: Unit, *, include_self: bool) -> None:
    if not may_edit_tree_at(actor, unit, include_self=include_self):
        raise PermissionDenied(_("您不能调整这个单元。"))


def _next_code(parent: Unit, kind: str) -> str:
    prefix = f"{parent.code}-{CODE_PREFIX.get(kind, 'U')}"
    taken = set(Unit.objects.filter(code__startswith=prefix).values_list("code", flat=True))
    n = 1
    while f"{prefix}{n:02d}" in taken:
        n += 1
    return f"{prefix}{n:02d}"


def subtree_context(unit: Unit) -> dict[int, tuple[int | None, int | None]]:
    """For every unit of ``unit``'s subtree (itself included): (town id, village id) it lies in —
    what other apps denormalise onto their rows (``Case.town``/``village``)."""
    known: dict[str, tuple[int, str]] = {
        u.code: (u.pk, u.kind) for u in unit.ancestors().only("pk", "code", "kind")
    }
    rows = list(Unit.objects.under(unit).values_list("pk", "code", "kind", "path"))
    known.update({code: (pk, kind) for pk, code, kind, _path in rows})
    out: dict[int, tuple[int | None, int | None]] = {}
    for pk, _code, _kind, path in rows:
        town = village = None
        for part in path.strip("/").split("/"):
            pk_kind = known.get(part)
            if pk_kind is None:
                continue
            if pk_kind[1] in TOWN_KINDS:
                town = pk_kind[0]
            elif pk_kind[1] in VILLAGE_KINDS:
                village = pk_kind[0]
        out[pk] = (town, village)
    return out


@transaction.atomic
def unit_add(
    *,
    actor: User,
    parent: Unit,
    kind: str,
    name: str,
    management_company: Unit | None = None,
    belongs_to: Unit | None = None,
    party_org_form: str = "",
    **fields: Any,
) -> Unit:
    """Create a unit on screen under ``parent``.

    Rule: the actor administers ``parent`` (``may_edit_tree_at``), the kind is one allowed under
    the parent and not administrative (``creatable_kinds``); the code is made from the parent's
    and never edited. A property project's company and a party organisation's unit must be in
    the same county. Audited (``unit_create``).
    """
    _require(actor, parent, include_self=True)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写名称。")})
    if kind not in creatable_kinds(parent):
        raise ValidationError({"kind": _("这个上级之下不能新建该类型的单元。")})
    county = county_of(parent)
    for field, other in (("management_company", management_company), ("belongs_to", belongs_to)):
        if other is not None and (county is None or county_of(other) != county):
            raise ValidationError({field: _("只能选择本县的单元。")})
    unit = unit_create(
        code=_next_code(parent, kind),
        name=name,
        kind=kind,
        parent=parent,
        actor=actor,
        management_company=management_company,
        belongs_to=belongs_to,
        party_org_form=party_org_form,
        **fields,
    )
    return unit


@transaction.atomic
def unit_rename(*, actor: User, unit: Unit, name: str) -> Unit:
    """Give ``unit`` a new name; the code (and an administrative unit's 统计用区划代码) stays.

    Rule: the actor may change the unit (``may_edit_tree_at``); the old name is in the audit row.
    """
    _require(actor, unit, include_self=False)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写名称。")})
    if len(name) > Unit._meta.get_field("name").max_length:
        raise ValidationError({"name": _("名称太长。")})
    old = unit.name
    if old == name:
        return unit
    unit.name = name
    unit.save(update_fields=["name", "updated_at"])
    audit_record(
        action=AuditAction.UPDATE, actor=actor, target=unit, reason=f"rename {old} → {name}"
    )
    return unit


@transaction.atomic
def unit_close(*, actor: User, unit: Unit) -> Unit:
    """Close ``unit`` (``is_active`` False); the row and its history stay.

    Rule: refused while it has active children (close or move them first) and for an
    administrative unit (its division is official). Audited.
    """
    _require(actor, unit, include_self=False)
    if unit.is_administrative:
        raise ValidationError(_("行政区划单元不能在这里关闭。"))
    if Unit.objects.filter(parent=unit, is_active=True).exists():
        raise ValidationError(_("还有启用的下级单元，请先关闭或移走它们。"))
    if unit.is_active:
        unit.is_active = False
        unit.save(update_fields=["is_active", "updated_at"])
        audit_record(action=AuditAction.UPDATE, actor=actor, target=unit, reason="close")
    return unit


@transaction.atomic
def unit_move(*, actor: User, unit: Unit, new_parent: Unit) -> Unit:
    """Hang ``unit`` (with its subtree) under ``new_parent``.

    Rule: the actor may change the unit and add under the new parent; the kind must fit the new
    parent (``ALLOWED_PARENTS``); never under the unit itself or one of its descendants; never
    into another county (a county or above is not moved at all). The subtree's paths and depths
    are rewritten by two set-based UPDATEs, then ``unit_moved`` is sent inside the transaction.
    Audited with the old and the new path.
    """
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    new_parent = Unit.objects.get(pk=new_parent.pk)
    _require(actor, unit, include_self=False)
    _require(actor, new_parent, include_self=True)
    if unit.kind in (UnitKind.PROVINCE, UnitKind.CITY, UnitKind.COUNTY):
        raise ValidationError(_("县及以上的行政区划不能移动。"))
    if new_parent.is_under(unit):
        raise ValidationError(_("不能移到它自己或它的下级之下。"))
    if county_of(unit) != county_of(new_parent):
        raise ValidationError(_("不能移到其他县区。"))
    if unit.kind not in kinds_allowed_under(new_parent.kind):
        raise ValidationError(
            _("“%(kind)s”不能挂在“%(parent)s”之下。")
            % {"kind": unit.get_kind_display(), "parent": new_parent.get_kind_display()}
        )
    if unit.parent_id == new_parent.pk:
        return unit
    old_path = unit.path
    new_path = unit_path(new_parent, unit.code)
    delta = new_parent.depth + 1 - unit.depth
    if (
        len(new_path)
        - len(old_path)
        + max((len(p) for p in Unit.objects.under(unit).values_list("path", flat=True)), default=0)
        > Unit._meta.get_field("path").max_length
    ):
        raise ValidationError(_("层级太深，不能移到这里。"))
    Unit.objects.filter(pk=unit.pk).update(parent=new_parent)
    Unit.objects.under(unit).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + delta,
    )
    unit.refresh_from_db()
    forget_scope(actor)
    unit_moved.send(sender=Unit, unit=unit, old_path=old_path, new_path=new_path)
    audit_record(
        action=AuditAction.UPDATE, actor=actor, target=unit, reason=f"move {old_path} → {new_path}"
    )
    return unit


@transaction.atomic
def alliance_member_add(*, actor: User, alliance: Unit, member: Unit) -> AllianceMember:
    """Add ``member`` to the 党建联合体 ``alliance``.

    Rule: the actor may change the alliance; the member is an active unit of the same county,
    not the alliance itself, and is added once (unique). Audited.
    """
    _require(actor, alliance, include_self=False)
    if alliance.kind != UnitKind.ALLIANCE:
        raise ValidationError(_("只有党建联合体可以添加成员单位。"))
    if member.pk == alliance.pk or not member.is_active:
        raise ValidationError(_("不能添加这个成员单位。"))
    if county_of(member) is None or county_of(member) != county_of(alliance):
        raise ValidationError(_("成员单位须在本县。"))
    if AllianceMember.objects.filter(alliance=alliance, member=member).exists():
        raise ValidationError(_("该单位已是成员。"))
    row = AllianceMember.objects.create(alliance=alliance, member=member)
    audit_record(
        action=AuditAction.CREATE, actor=actor, target=row, reason=f"alliance + {member.code}"
    )
    return row


@transaction.atomic
def alliance_member_remove(*, actor: User, row: AllianceMember) -> None:
    """Remove a member unit from its alliance. Rule: the actor may change the alliance. Audited."""
    _require(actor, row.alliance, include_self=False)
    audit_record(
        action=AuditAction.DELETE, actor=actor, target=row, reason=f"alliance - {row.member.code}"
    )
    row.delete()
