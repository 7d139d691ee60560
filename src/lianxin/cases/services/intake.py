"""Intake (受理): a request enters from any channel and gets its first owner (首问责任)."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lianxin.cases import search
from lianxin.cases.models import Case, Category, Channel, EventKind, State
from lianxin.cases.services.authority import acting_membership
from lianxin.cases.services.common import _assign_unit, _event, _notify_assigned, _now, _save
from lianxin.cases.services.machine import CaseError, _required_text
from lianxin.cases.services.photos import _photo_clean, _photo_store
from lianxin.org.models import Role, Unit, UnitKind
from lianxin.org.scoping import user_scope

if TYPE_CHECKING:
    from lianxin.accounts.models import User

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def _new_code() -> str:
    for _attempt in range(10):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
        if not Case.objects.filter(code=code).exists():
            return code
    raise RuntimeError("could not allocate a tracking code")


def _grid_context(grid: Unit) -> tuple[Unit | None, Unit | None]:
    village = town = None
    for u in grid.ancestors(include_self=True):
        if u.kind in (UnitKind.VILLAGE, UnitKind.COMMUNITY):
            village = u
        elif u.kind in (UnitKind.TOWN, UnitKind.STREET):
            town = u
    return town, village


def intake_channel(user: User, *, via_integration: bool = False) -> str:
    """The channel a request entered by ``user`` comes through (首问责任 follows from it).

    Another platform's request (an integration token) is ``API`` and enters the grid's queue;
    staff entering one are ``STAFF`` (window or phone), a grid worker with no office role
    ``GRID`` (on patrol): both own it until someone accepts; anyone else is a resident.
    """
    if via_integration:
        return Channel.API
    scope = user_scope(user)
    if not scope.is_staff:
        return Channel.RESIDENT
    if scope.has_role(Role.GRID_WORKER) and not scope.has_role(
        Role.VILLAGE_STAFF, Role.TOWN_STAFF, Role.COUNTY_ADMIN
    ):
        return Channel.GRID
    return Channel.STAFF


def case_submit(
    *,
    title: str,
    description: str,
    category: Category,
    grid: Unit,
    channel: str,
    reporter_name: str,
    reporter_phone: str,
    reporter: User | None = None,
    created_by: User | None = None,
    priority: str | None = None,
    address: str = "",
    lat: float | None = None,
    lng: float | None = None,
    idempotency_key: str | None = None,
    refuse_changed: bool = False,
    photos: Sequence[File] = (),
    now: datetime | None = None,
) -> tuple[Case, bool]:
    """Intake from any channel; the same ``idempotency_key`` twice gives the first request back.

    首问责任: a resident's request is owned by its grid's queue; a request entered by staff or
    a grid worker is owned by that person, the first receiver, until someone accepts it.

    ``refuse_changed`` (the open API's ``Idempotency-Key``): a retry must carry the same request;
    a key reused for different content raises ``IdempotencyConflict`` instead of answering with
    the first request, so a client's bug never silently loses the second request.
    """
    submitted = {
        "title": title,
        "description": description,
        "category_id": category.pk,
        "grid_id": grid.pk,
        "channel": channel,
        "reporter_id": reporter.pk if reporter is not None else None,
        "created_by_id": created_by.pk if created_by is not None else None,
        "reporter_name": reporter_name,
        "reporter_phone": reporter_phone,
        "priority": priority or category.default_priority,
        "address": address,
        "lat": lat,
        "lng": lng,
    }
    if idempotency_key:
        existing = Case.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return _replayed(existing, submitted, refuse_changed), False
    if grid.kind not in (UnitKind.GRID, UnitKind.MICRO_GRID):
        raise CaseError(_("请选择诉求所在的网格。"))
    # Cleaned once, before anything is written: a bad photo refuses the whole submission.
    cleaned = [_photo_clean(photo) for photo in photos]
    try:
        with transaction.atomic():
            case = _case_create(
                title=_required_text(title, _("标题")),
                description=_required_text(description, _("诉求内容")),
                category=category,
                grid=grid,
                channel=channel,
                reporter=reporter,
                reporter_name=_required_text(reporter_name, _("联系人")),
                reporter_phone=_required_text(reporter_phone, _("联系电话")),
                created_by=created_by,
                priority=priority or category.default_priority,
                address=address,
                lat=lat,
                lng=lng,
                idempotency_key=idempotency_key or None,
                now=_now(now),
            )
            for clean in cleaned:
                _photo_store(case, clean)
    except IntegrityError:
        if idempotency_key:
            existing = Case.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return _replayed(existing, submitted, refuse_changed), False
        raise
    return case, True


class IdempotencyConflict(CaseError):
    """An idempotency key already used for a request with other content."""


def _replayed(existing: Case, submitted: dict[str, Any], refuse_changed: bool) -> Case:
    """The first request of a key; with ``refuse_changed``, only if the retry is the same request
    (compared with what the first one stored: text stripped as ``_required_text`` stores it)."""
    if refuse_changed:
        for field, value in submitted.items():
            stored = getattr(existing, field)
            if isinstance(value, str):
                value, stored = value.strip(), (stored or "").strip()
            if value != stored:
                raise IdempotencyConflict(
                    _(
                        "该幂等键（Idempotency-Key）已用于另一份内容不同的诉求（%(code)s），"
                        "重试请提交相同的内容，新诉求请换一个新的键。"
                    )
                    % {"code": existing.code}
                )
    return existing


def _case_create(
    *, now: datetime, created_by: User | None, channel: str, grid: Unit, **fields: Any
) -> Case:
    town, village = _grid_context(grid)
    case = Case(
        code=_new_code(),
        channel=channel,
        grid=grid,
        town=town,
        village=village,
        created_by=created_by,
        created_at=now,
        state=State.SUBMITTED,
        **fields,
    )
    case.search_tokens = search.index_text(case.title, case.description)
    staff_member = (
        acting_membership(created_by, grid)
        if created_by is not None and channel in (Channel.STAFF, Channel.GRID)
        else None
    )
    _assign_unit(case, grid, now)
    if staff_member is not None:
        case.owner_unit = None
        case.owner_user = created_by
        case.unit = staff_member.unit
        case.handler_post = staff_member.post or staff_member.get_role_display()
    _save(case)
    _event(
        case,
        EventKind.SUBMIT,
        actor=created_by or fields.get("reporter"),
        note=str(Channel(channel).label),
        to_unit=case.unit,
        at=now,
    )
    if case.owner_unit is not None:
        _notify_assigned(case)
    return case
