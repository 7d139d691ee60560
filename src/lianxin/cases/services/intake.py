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
from lianxin.org.models import Unit, UnitKind

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
    photos: Sequence[File] = (),
    now: datetime | None = None,
) -> tuple[Case, bool]:
    """Intake from any channel; the same ``idempotency_key`` twice gives the first request back.

    首问责任: a resident's request is owned by its grid's queue; a request entered by staff or
    a grid worker is owned by that person, the first receiver, until someone accepts it.
    """
    if idempotency_key:
        existing = Case.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, False
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
                return existing, False
        raise
    return case, True


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
