"""Writes of the visits module: log a visit, raise a request or a wish from it."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.cases.models import Case, Category, Channel
from lianxin.cases.services.intake import case_submit
from lianxin.people.models import Household, Person
from lianxin.visits.models import NEED_TAGS, Visit, VisitKind
from lianxin.visits.rules import can_visit
from lianxin.volunteers.services import service_record_for_visit
from lianxin.wishes.models import Wish
from lianxin.wishes.services import wish_post

if TYPE_CHECKING:
    from lianxin.accounts.models import User
    from lianxin.volunteers.models import ServiceRecord

__all__ = ["NEED_TAGS", "visit_credit", "visit_log", "visit_raise_case", "visit_raise_wish"]


def _clean_needs(needs: Sequence[str]) -> list[str]:
    out: list[str] = []
    for raw in needs:
        tag = (raw or "").strip()[:20]
        if tag and tag not in out:
            out.append(tag)
    return out[:12]


def _head(household: Household) -> Person | None:
    people = Person.objects.filter(household=household).order_by("id")
    return people.filter(relation="户主").first() or people.first()


@transaction.atomic
def visit_log(
    *,
    actor: User,
    household: Household,
    kind: str = VisitKind.ROUTINE,
    met: str = "",
    notes: str = "",
    needs: Sequence[str] = (),
    photo: File | None = None,
    lat: float | None = None,
    lng: float | None = None,
    visited_at: datetime | None = None,
    form_token: str | None = None,
    request: HttpRequest | None = None,
) -> tuple[Visit, bool]:
    """Log one visit to a household.

    Rule: only the household's grid worker, or village, town or county staff over its grid, may
    log it; the same ``form_token`` twice is one visit (a double submit from a weak signal); the
    visitor is credited once per visit through the volunteers' service-record entry point.
    """
    if form_token:
        existing = Visit.objects.filter(form_token=form_token).first()
        if existing is not None:
            return existing, False
    if not can_visit(actor, household):
        raise PermissionDenied(_("只有该户所在网格的网格员或上级干部可以登记走访。"))
    if kind not in VisitKind.values:
        raise ValidationError({"kind": _("请选择走访类型。")})
    now = timezone.now()
    visited_at = visited_at or now
    if visited_at > now:
        raise ValidationError({"visited_at": _("走访时间不能晚于现在。")})
    if (lat is None) != (lng is None):
        raise ValidationError({"lat": _("位置不完整，请重新定位。")})
    clean = None
    if photo is not None:
        from lianxin.core.photos import photo_clean

        clean = photo_clean(photo)  # a ValidationError with the cleaner's message
    visit = Visit(
        household=household,
        grid=household.grid,
        visitor=actor,
        visited_at=visited_at,
        kind=kind,
        met=(met or "").strip()[:100],
        notes=(notes or "").strip(),
        needs=_clean_needs(needs),
        lat=lat if lat is not None else household.lat,
        lng=lng if lng is not None else household.lng,
        form_token=form_token or None,
    )
    if clean is not None:
        visit.photo_token = secrets.token_hex(16)
        visit.photo.save("photo.jpg", clean.content, save=False)
    try:
        with transaction.atomic():
            visit.save()
    except IntegrityError:
        return Visit.objects.get(form_token=form_token), False
    visit_credit(visit)
    audit_record(action=AuditAction.CREATE, actor=actor, target=visit, request=request)
    return visit, True


def visit_credit(visit: Visit) -> ServiceRecord:
    """Credit the visitor for one visit through the volunteers' service-record entry point.

    Rule: one visit gives one record (the entry point is keyed on the visit), so calling this
    again for the same visit (a re-run demo, a retried request) returns the first record.
    """
    return service_record_for_visit(
        visit_id=visit.pk,
        user=visit.visitor,
        unit=visit.grid,
        on=timezone.localdate(visit.visited_at),
        title=_("入户走访 %(number)s") % {"number": visit.household.number},
    )


def _locked(visit: Visit) -> Visit:
    return Visit.objects.select_for_update().select_related("household", "grid").get(pk=visit.pk)


@transaction.atomic
def visit_raise_case(
    *,
    actor: User,
    visit: Visit,
    category: Category,
    title: str,
    description: str = "",
    idempotency_key: str | None = None,
    request: HttpRequest | None = None,
) -> Case:
    """Raise a request (诉求) on the spot from a visit, prefilled from the household.

    Rule: whoever may visit the household may raise it; the request enters by the grid-worker
    channel with the household's address, point and grid and its head as reporter, and the visit
    and the request are linked both ways (``visit.case`` and ``case.visits``); one per visit.
    """
    visit = _locked(visit)
    if visit.case_id is not None:
        return visit.case  # type: ignore[return-value]
    if not can_visit(actor, visit):
        raise PermissionDenied(_("只有该户所在网格的网格员或上级干部可以上报。"))
    household = visit.household
    head = _head(household)
    case, _created = case_submit(
        title=title,
        description=description or visit.notes or title,
        category=category,
        grid=household.grid,
        channel=Channel.GRID,
        reporter_name=(head.name if head else visit.met or household.number)[:50],
        reporter_phone=(head.phone if head else "") or "",
        created_by=actor,
        address=household.address,
        lat=visit.lat,
        lng=visit.lng,
        idempotency_key=idempotency_key or f"visit-{visit.pk}",
    )
    visit.case = case
    visit.save(update_fields=["case"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        target=visit,
        request=request,
        extra={"raised_case": case.code},
    )
    return case


@transaction.atomic
def visit_raise_wish(
    *,
    actor: User,
    visit: Visit,
    title: str,
    category: str,
    content: str = "",
    value: Decimal | None = None,
    request: HttpRequest | None = None,
) -> Wish:
    """Post a 微心愿 for the visited household (代为提交), linked both ways; one per visit.

    Rule: whoever may visit the household may post it, through the wishes service (which checks
    the poster's scope again); the beneficiary is the household's head.
    """
    visit = _locked(visit)
    if visit.wish_id is not None:
        return visit.wish  # type: ignore[return-value]
    if not can_visit(actor, visit):
        raise PermissionDenied(_("只有该户所在网格的网格员或上级干部可以发布心愿。"))
    head = _head(visit.household)
    wish = wish_post(
        actor=actor,
        unit=visit.household.grid,
        title=title,
        category=category,
        content=content or visit.notes,
        value=value,
        beneficiary=head,
        beneficiary_name=head.name if head else (visit.met or visit.household.number),
        beneficiary_tag=next(iter(visit.household.tags or []), ""),
        submission_key=f"visit-{visit.pk}",
        request=request,
    )
    visit.wish = wish
    visit.save(update_fields=["wish"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        target=visit,
        request=request,
        extra={"raised_wish": wish.pk},
    )
    return wish
