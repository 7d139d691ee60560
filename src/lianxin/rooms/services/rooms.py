"""Rooms and their 错时利用 slot rules: the venue's manager sets them up.

Every write is atomic, leaves an audit row, and checks the rule ``can_manage_rooms_of``
(rooms.manage_room over the room's venue) — the role, not only the scope.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.rooms.models import Room, SlotRule
from lianxin.rooms.rules import can_manage_rooms_of

if TYPE_CHECKING:
    from lianxin.accounts.models import User
    from lianxin.venues.models import Venue


def _require_manager(actor: User, venue: Venue) -> None:
    if not can_manage_rooms_of(actor, venue):
        raise PermissionDenied(_("该单位不在您的管辖范围内。"))


@transaction.atomic
def room_save(
    *, actor: User, venue: Venue, room: Room | None = None, values: dict[str, Any]
) -> Room:
    """Add or change a room of ``venue`` (hours, slot length, approval, horizon). Rule:
    ``can_manage_rooms_of`` — only the venue's managers shape what residents may book."""
    _require_manager(actor, venue)
    created = room is None
    room = room or Room(venue=venue)
    if room.venue_id != venue.pk:
        raise ValidationError(_("功能室不属于该阵地。"))
    for name, value in values.items():
        setattr(room, name, value)
    room.full_clean()
    room.save()
    audit_record(
        action=AuditAction.CREATE if created else AuditAction.UPDATE, actor=actor, target=room
    )
    return room


@transaction.atomic
def slot_rule_add(
    *, actor: User, room: Room, weekdays: str, starts, ends, audience: str, note: str = ""
) -> SlotRule:
    """错时利用: reserve a window of the room for one group (mornings for elders …). Windows
    of one room may not overlap on a common weekday, so a slot has at most one owner group.
    Rule: ``can_manage_rooms_of`` the room's venue."""
    _require_manager(actor, room.venue)
    weekdays = "".join(sorted(set(weekdays)))
    if not weekdays:
        raise ValidationError({"weekdays": _("请选择星期。")})
    if ends <= starts:
        raise ValidationError({"ends": _("结束时间须晚于开始时间。")})
    if starts < room.opens_at or ends > room.closes_at:
        raise ValidationError(_("时段须在功能室开放时间内。"))
    for other in room.slot_rules.all():
        if set(other.weekdays) & set(weekdays) and starts < other.ends and ends > other.starts:
            raise ValidationError(_("与已有规则“%(rule)s”重叠。") % {"rule": other})
    rule = SlotRule(
        room=room,
        weekdays=weekdays,
        starts=starts,
        ends=ends,
        audience=audience,
        note=note.strip()[:100],
    )
    rule.full_clean()
    rule.save()
    audit_record(action=AuditAction.CREATE, actor=actor, target=rule)
    return rule


@transaction.atomic
def slot_rule_remove(*, actor: User, rule: SlotRule) -> None:
    """Remove a 错时利用 window; the room is open to every group there again. Rule:
    ``can_manage_rooms_of`` the rule's venue."""
    _require_manager(actor, rule.room.venue)
    audit_record(action=AuditAction.DELETE, actor=actor, target=rule)
    rule.delete()
