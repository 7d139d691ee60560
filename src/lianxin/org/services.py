"""Writes to the organisation tree and to memberships."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.audit.models import AuditAction
from lianxin.audit.services import SYSTEM_ACTOR, audit_record, audit_record_system_many
from lianxin.core.masking import mask_login
from lianxin.org.divisions import read_divisions
from lianxin.org.models import Membership, Role, Unit
from lianxin.org.scoping import forget_scope, user_scope

if TYPE_CHECKING:
    from lianxin.accounts.models import User

logger = logging.getLogger(__name__)


def _membership_repr(membership: Membership) -> str:
    """The audit row's name for a membership, with a phone-number name masked (core.masking):
    the audit screen shows it, and residents' accounts are named by their phone at first."""
    return (
        f"{mask_login(str(membership.user))} · {membership.unit} · {membership.get_role_display()}"
    )


def unit_path(parent: Unit | None, code: str) -> str:
    """The materialised path of a unit with ``code`` under ``parent`` (ADR 0002)."""
    return (parent.path if parent is not None else "/") + code + "/"


@transaction.atomic
def unit_create(
    *,
    code: str,
    name: str,
    kind: str,
    parent: Unit | None,
    division_code: str = "",
    actor: User | None = None,
    **fields: Any,
) -> Unit:
    """Create a unit under ``parent``.

    Rule: the kind must fit the parent (``ALLOWED_PARENTS``) and an administrative unit carries
    its 12-digit division code (``Unit.clean``); the path derives from the parent's and is never
    edited, since every scope is a path prefix. Audited when an actor creates it (the admin).
    """
    unit = Unit(
        code=code,
        name=name,
        kind=kind,
        parent=parent,
        division_code=division_code,
        path=unit_path(parent, code),
        depth=(parent.depth + 1) if parent is not None else 0,
        **fields,
    )
    unit.full_clean()
    unit.save()
    if actor is not None:
        audit_record(action=AuditAction.CREATE, actor=actor, target=unit)
    return unit


@transaction.atomic
def divisions_import(*, county: str | None = None) -> dict[str, int]:
    """Load the official division codes; running it again changes nothing (idempotent).

    Rows are matched by code; a renamed division is updated in place, a new one added.
    """
    created = updated = 0
    known: dict[str, Unit] = {
        u.code: u
        for u in Unit.objects.filter(division_code__gt="").only(
            "id", "code", "name", "kind", "path", "depth"
        )
    }
    for level in read_divisions(county):
        new_units: list[Unit] = []
        changed: list[Unit] = []
        for d in level:
            existing = known.get(d.code)
            if existing is not None:
                if existing.name != d.name or existing.kind != d.kind:
                    existing.name, existing.kind = d.name, d.kind
                    changed.append(existing)
                continue
            parent = known.get(d.parent_code) if d.parent_code else None
            if d.parent_code and parent is None:
                logger.warning("division %s has no parent %s; skipped", d.code, d.parent_code)
                continue
            new_units.append(
                Unit(
                    code=d.code,
                    name=d.name,
                    kind=d.kind,
                    parent_id=parent.pk if parent else None,
                    division_code=d.code,
                    path=unit_path(parent, d.code),
                    depth=(parent.depth + 1) if parent else 0,
                )
            )
        if new_units:
            Unit.objects.bulk_create(new_units, batch_size=1000)
            for u in Unit.objects.filter(code__in=[u.code for u in new_units]).only(
                "id", "code", "name", "kind", "path", "depth"
            ):
                known[u.code] = u
            created += len(new_units)
        if changed:
            Unit.objects.bulk_update(changed, ["name", "kind"], batch_size=1000)
            updated += len(changed)
    return {"created": created, "updated": updated, "total": len(known)}


@transaction.atomic
def membership_grant(
    *, user: User, unit: Unit, role: str, post: str = "", actor: User | None = None
) -> Membership:
    """Give ``user`` a role at ``unit`` (re-activating an ended one).

    Rule: every role change leaves an audit row (等保: 权限变更留痕) — with no actor (a resident's
    self-registration, a command) the row names the actor "system". Who may grant what is
    checked by the callers that act for a person (``staff_account_create``, the admin).
    """
    membership, created = Membership.objects.get_or_create(
        user=user, unit=unit, role=role, defaults={"post": post}
    )
    if not created and (not membership.is_active or membership.post != post):
        membership.is_active = True
        membership.post = post or membership.post
        membership.save(update_fields=["is_active", "post", "updated_at"])
    forget_scope(user)
    audit_record(
        action=AuditAction.ROLE_CHANGE,
        actor=actor,
        username=SYSTEM_ACTOR if actor is None else "",
        target=membership,
        target_repr=_membership_repr(membership),
        reason=f"grant {role} @ {unit.code}",
    )
    return membership


@transaction.atomic
def membership_bulk_grant(
    memberships: list[Membership], *, batch_size: int = 1000
) -> list[Membership]:
    """Insert many new memberships at once (the demo county's staff, residents and members).

    Rule: as ``membership_grant``, every role given is audited (等保: 权限变更留痕): one "system"
    row per membership, inserted in bulk too. The rows must be new (no re-activation here).
    """
    created = Membership.objects.bulk_create(memberships, batch_size=batch_size)
    if created and created[0].pk is None:  # a backend that returns no ids: read them back
        wanted = {(m.user_id, m.unit_id, m.role) for m in memberships}
        created = [
            m
            for m in Membership.objects.filter(user_id__in={u for u, _, _ in wanted})
            if (m.user_id, m.unit_id, m.role) in wanted
        ]
    codes = dict(Unit.objects.filter(pk__in={m.unit_id for m in created}).values_list("pk", "code"))
    labels = dict(Role.choices)
    audit_record_system_many(
        action=AuditAction.ROLE_CHANGE,
        rows=[
            (
                m,
                f"{codes[m.unit_id]} · {labels.get(m.role, m.role)}",
                f"grant {m.role} @ {codes[m.unit_id]}",
            )
            for m in created
        ],
        batch_size=batch_size,
    )
    return created


@transaction.atomic
def membership_revoke(*, membership: Membership, actor: User | None = None) -> None:
    """End a membership (the row stays, inactive, for the record).

    Rule: as for ``membership_grant``, every role change is audited, as "system" without an actor.
    """
    membership.is_active = False
    membership.save(update_fields=["is_active", "updated_at"])
    forget_scope(membership.user)
    audit_record(
        action=AuditAction.ROLE_CHANGE,
        actor=actor,
        username=SYSTEM_ACTOR if actor is None else "",
        target=membership,
        target_repr=_membership_repr(membership),
        reason=f"revoke {membership.role} @ {membership.unit.code}",
    )


# Who may hand out which role: a county admin any staff role in the county; a town clerk the
# village-level roles in the town. (Superusers are made on the command line only.)
GRANTABLE_BY: dict[str, set[str]] = {
    Role.COUNTY_ADMIN: {
        Role.COUNTY_ADMIN,
        Role.TOWN_STAFF,
        Role.VILLAGE_STAFF,
        Role.GRID_WORKER,
        Role.DEPT_HANDLER,
        Role.PARTY_MEMBER,
        Role.SUPERVISOR,
        Role.RESIDENT,
    },
    Role.TOWN_STAFF: {Role.VILLAGE_STAFF, Role.GRID_WORKER, Role.PARTY_MEMBER, Role.RESIDENT},
}


def grantable_roles(actor: User, unit: Unit) -> set[str]:
    """The roles ``actor`` may grant at ``unit``: only inside a subtree they administer."""
    scope = user_scope(actor)
    if scope.is_global:
        return set(Role.values)
    roles: set[str] = set()
    for m in scope.memberships:
        if m.role in GRANTABLE_BY and unit.path.startswith(m.unit.path):
            roles |= GRANTABLE_BY[m.role]
    return roles


@transaction.atomic
def staff_account_create(
    *,
    actor: User,
    unit: Unit,
    role: str,
    username: str,
    display_name: str,
    phone: str = "",
    initial_password: str,
    post: str = "",
    request=None,
) -> Membership:
    """Open an account with a role; the initial password must be changed at first log-in (等保)."""
    from django.contrib.auth import get_user_model, password_validation

    if role not in grantable_roles(actor, unit):
        raise PermissionDenied("role not grantable here")
    User = get_user_model()
    user = User(
        username=username.strip(),
        display_name=display_name.strip(),
        phone=phone or None,
        must_change_password=True,
    )
    password_validation.validate_password(initial_password, user)
    user.set_password(initial_password)
    user.full_clean()
    user.save()
    return membership_grant(user=user, unit=unit, role=role, post=post, actor=actor)


@transaction.atomic
def membership_end(*, actor: User, membership: Membership) -> None:
    """End a role; refused unless the actor could have granted it (``org.manage_staff`` on the
    membership: ``org.rules.may_grant_at``), and never one's own (no one locks themselves out)."""
    if not actor.has_perm("org.manage_staff", membership):
        raise PermissionDenied("role not revocable here")
    if membership.user_id == actor.pk:
        raise ValidationError(_("不能撤销自己的任职。"))
    membership_revoke(membership=membership, actor=actor)
