"""Writes on teams, model posts, responsibility areas, point rules and service records.

Rules enforced here (each cites its mechanism):
- Hours and points: one source (a registration, a wish, a visit) gives one ServiceRecord — a
  unique constraint on (source_kind, source_id) — so nothing is counted twice
  (``record_once``); the points are those of the nearest point rule up the tree.
- Staff change teams, posts and areas only over units in their own subtree, and only add
  people who hold a membership there (nobody is pulled in from another town).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.models import User
from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.org.models import STAFF_ROLES, Membership, Role, Unit
from lianxin.org.scoping import require_covers, user_scope
from lianxin.volunteers import rules
from lianxin.volunteers.models import (
    ModelPost,
    PointRule,
    RecordStatus,
    ResponsibilityArea,
    ServiceRecord,
    SourceKind,
    Team,
    TeamKind,
    TeamMember,
)

if TYPE_CHECKING:
    pass

DEFAULT_POINTS: dict[str, int] = {
    SourceKind.ATTENDANCE: 2,
    SourceKind.TRAINING: 3,
    SourceKind.WISH: 5,
    SourceKind.VISIT: 1,
}
WISH_HOURS = Decimal("1.0")


def _require_staff_over(actor: User, unit: Unit, perm: str) -> None:
    require_covers(actor, unit, message=perm)


# ============================================================================ points
def point_rule_value(*, unit: Unit, source_kind: str) -> int:
    """The nearest rule up the tree wins (a village may override the county default)."""
    rule = (
        PointRule.objects.filter(unit__path__in=unit.ancestor_paths(), source_kind=source_kind)
        .order_by("-unit__depth")
        .first()
    )
    return rule.points if rule else DEFAULT_POINTS.get(source_kind, 0)


@transaction.atomic
def point_rule_set(
    *, actor: User, unit: Unit, source_kind: str, points: int, request=None
) -> PointRule:
    """Set a unit's points for one source kind (0–100). Staff over the unit only; the rule overrides
    the county default for that unit and below (nearest rule wins, ``point_rule_value``). Audited."""
    _require_staff_over(actor, unit, "volunteers.manage_points")
    if source_kind not in SourceKind.values:
        raise ValidationError(_("未知的积分来源。"))
    if not 0 <= points <= 100:
        raise ValidationError(_("单项积分应在 0 到 100 之间。"))
    rule, _created = PointRule.objects.update_or_create(
        unit=unit, source_kind=source_kind, defaults={"points": points}
    )
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        target=rule,
        request=request,
        extra={"points": points},
    )
    return rule


def home_unit(user: User, fallback: Unit) -> Unit:
    """The unit a person's hours count for: their party/volunteer membership, else ``fallback``."""
    memberships = list(
        Membership.objects.active().filter(user=user).select_related("unit").order_by("id")
    )
    for role in (Role.PARTY_MEMBER, *sorted(STAFF_ROLES), Role.RESIDENT):
        for m in memberships:
            if m.role == role:
                return m.unit
    return fallback


@transaction.atomic
def record_once(
    *,
    user,
    unit: Unit,
    source_kind: str,
    source_id: int,
    title: str,
    on: date,
    hours: Decimal,
    status: str,
    confirmed_by=None,
) -> ServiceRecord:
    """Create the one record for a source; a second call for the same source returns the first."""
    existing = ServiceRecord.objects.filter(source_kind=source_kind, source_id=source_id).first()
    if existing is not None:
        return existing
    now = timezone.now()
    try:
        with transaction.atomic():
            return ServiceRecord.objects.create(
                user=user,
                unit=unit,
                source_kind=source_kind,
                source_id=source_id,
                title=title[:120],
                occurred_on=on,
                hours=hours,
                points=point_rule_value(unit=unit, source_kind=source_kind),
                status=status,
                confirmed_by=confirmed_by if status == RecordStatus.CONFIRMED else None,
                confirmed_at=now if status == RecordStatus.CONFIRMED else None,
            )
    except IntegrityError:
        return ServiceRecord.objects.get(source_kind=source_kind, source_id=source_id)


@transaction.atomic
def service_record_for_wish(*, wish, confirmed_by) -> ServiceRecord | None:
    """A confirmed wish credits its claimant once; the resident's confirmation is the confirmation."""
    if wish.claimed_by_id is None:
        return None
    return record_once(
        user=wish.claimed_by,
        unit=home_unit(wish.claimed_by, wish.community),
        source_kind=SourceKind.WISH,
        source_id=wish.pk,
        title=_("点亮心愿：%(t)s") % {"t": wish.title},
        on=timezone.localdate(wish.lit_at or timezone.now()),
        hours=WISH_HOURS,
        status=RecordStatus.CONFIRMED,
        confirmed_by=confirmed_by,
    )


@transaction.atomic
def service_record_for_visit(
    *, visit_id: int, user, unit: Unit, on: date, title: str
) -> ServiceRecord:
    """For the household-visits module (串百家门): one visit credits its visitor once, with the
    points of the 入户走访 rule. Visits are logged by the visitor's grid; a visit needs no
    organiser's confirmation, so the record is confirmed at once."""
    return record_once(
        user=user,
        unit=unit,
        source_kind=SourceKind.VISIT,
        source_id=visit_id,
        title=title,
        on=on,
        hours=Decimal("0"),
        status=RecordStatus.CONFIRMED,
        confirmed_by=user,
    )


# ============================================================================ teams and posts
@transaction.atomic
def team_create(
    *,
    actor: User,
    unit: Unit,
    name: str,
    kind: str,
    leader=None,
    description: str = "",
    request=None,
) -> Team:
    """Found a team in a unit of the actor's subtree. Kind must be a known ``TeamKind``; names are
    unique within a unit; a leader must be someone in the actor's scope and joins the team."""
    _require_staff_over(actor, unit, "volunteers.manage_team")
    if kind not in TeamKind.values:
        raise ValidationError(_("请选择队伍类型。"))
    if leader is not None:
        _require_person_in_scope(actor, leader)
    if Team.objects.filter(unit=unit, name=name.strip()).exists():
        raise ValidationError(_("本单位已有同名队伍。"))
    team = Team.objects.create(
        unit=unit, name=name.strip(), kind=kind, leader=leader, description=description
    )
    if leader is not None:
        TeamMember.objects.get_or_create(team=team, user=leader)
    audit_record(action=AuditAction.CREATE, actor=actor, target=team, request=request)
    return team


def _require_manager_of(actor: User, team: Team) -> None:
    """Only staff who may manage teams, over the team's unit, change its members
    (``rules.may_manage_team``, the rule the team page's forms follow too)."""
    if not rules.may_manage_team(actor, team):
        raise PermissionDenied("volunteers.manage_team")


def _require_person_in_scope(actor, user) -> None:
    """The person added holds an active membership inside the actor's subtrees (the same test
    as ``selectors.member_find``), so nobody is pulled in from another town."""
    from lianxin.org.scoping import scope_queryset

    if not scope_queryset(Membership.objects.active().filter(user=user), actor, ("unit",)).exists():
        raise PermissionDenied(_("该人员不在您的管辖范围内。"))


@transaction.atomic
def team_member_add(*, actor: User, team: Team, user, request=None) -> TeamMember:
    """Add a member: only a team manager over the team's unit, and only a person holding a
    membership in the actor's scope (membership lets them claim wishes and join volunteer
    events, so it is audited). Adding twice is one membership."""
    _require_manager_of(actor, team)
    _require_person_in_scope(actor, user)
    member, created = TeamMember.objects.get_or_create(team=team, user=user)
    if created:
        # Team membership lets a person claim wishes and join volunteer-only events.
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            target=team,
            reason="member added",
            request=request,
            extra={"user": user.pk},
        )
    return member


@transaction.atomic
def team_member_remove(*, actor: User, team: Team, user, request=None) -> None:
    """Remove a member: staff over the team's unit; the leader cannot be removed until replaced.
    Audited when someone was removed."""
    _require_staff_over(actor, team.unit, "volunteers.manage_team")
    if team.leader_id == user.pk:
        raise ValidationError(_("请先更换队长再移除。"))
    deleted, _rows = TeamMember.objects.filter(team=team, user=user).delete()
    if deleted:
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            target=team,
            reason="member removed",
            request=request,
            extra={"user": user.pk},
        )


@transaction.atomic
def model_post_create(
    *, actor: User, unit: Unit, holder, title: str, pledge: str = "", request=None
) -> ModelPost:
    """Set up a 党员示范岗 in a unit of the actor's subtree (its public card shows it). Audited."""
    _require_staff_over(actor, unit, "volunteers.manage_team")
    post = ModelPost.objects.create(
        unit=unit, holder=holder, title=title.strip(), pledge=pledge.strip()
    )
    audit_record(action=AuditAction.CREATE, actor=actor, target=post, request=request)
    return post


@transaction.atomic
def area_create(
    *,
    actor: User,
    unit: Unit,
    holder,
    name: str,
    grids=(),
    households=(),
    post: ModelPost | None = None,
    request=None,
) -> ResponsibilityArea:
    """Mark out a 责任区: staff over the unit, and every grid and household in it within the
    actor's scope (nobody answers for another town's households). Audited."""
    _require_staff_over(actor, unit, "volunteers.manage_team")
    scope = user_scope(actor)
    if any(not scope.covers(g) for g in grids) or any(not scope.covers(h.grid) for h in households):
        raise PermissionDenied("volunteers.manage_team")
    area = ResponsibilityArea.objects.create(unit=unit, holder=holder, name=name.strip(), post=post)
    area.grids.set(grids)
    area.households.set(households)
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        target=area,
        request=request,
        extra={"grids": [g.pk for g in grids], "households": len(households)},
    )
    return area
