"""Writes of the offline app: a visit or an on-the-spot request queued on a phone, sent later.

Each queued item carries a UUID made on the phone when it was recorded. The key is stored,
under the sender's own prefix, in the column the existing create-once mechanism already keeps
unique (``Visit.form_token``, ``Case.idempotency_key``), so a retry after a lost answer, or the
same item sent twice by two tabs, finds the first row instead of writing a second.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.cases.models import Case
from lianxin.cases.selectors import category_choices
from lianxin.cases.services.intake import case_submit, intake_channel
from lianxin.cases.services.machine import CaseError
from lianxin.core.photos import photo_clean
from lianxin.people.models import Household, Person
from lianxin.visits import selectors as visit_selectors
from lianxin.visits.models import Visit
from lianxin.visits.rules import can_visit
from lianxin.visits.services import visit_log

if TYPE_CHECKING:
    from collections.abc import Sequence

    from lianxin.accounts.models import User


def field_key(*, actor: User, raw: str | None) -> str:
    """The stored form of a phone's key: ``fld-<user id>-<uuid>`` (at most 64 characters).

    Rule: the key must be a UUID; prefixed with the sender's id so that one user's key can never
    find another user's row."""
    try:
        key = uuid.UUID(str(raw or "").strip())
    except ValueError as exc:
        raise ValidationError({"key": _("缺少或无效的提交编号，请重新录入。")}) from exc
    return f"fld-{actor.pk}-{key}"


def _household(actor: User, household_id: int | None) -> Household:
    household = visit_selectors.household_get(actor, household_id or 0)
    if household is None:
        raise ValidationError({"household": _("请选择您网格内的走访户。")})
    if not can_visit(actor, household):
        raise ValidationError({"household": _("只有该户所在网格的网格员或上级干部可以登记走访。")})
    return household


def field_visit_sync(
    *,
    actor: User,
    key: str | None,
    household_id: int | None,
    kind: str,
    met: str = "",
    notes: str = "",
    needs: Sequence[str] = (),
    photo: File | None = None,
    lat: float | None = None,
    lng: float | None = None,
    request: HttpRequest | None = None,
) -> tuple[Visit, bool]:
    """Log a visit recorded offline; the same key twice returns the first visit.

    Rule: the key is looked up before anything else is checked, so a replay of an item that
    already arrived is answered with its visit even if the household has since been regridded;
    a new item goes through ``visits.services.visit_log`` (scope, kind, point, photo cleaning)."""
    token = field_key(actor=actor, raw=key)
    existing = Visit.objects.filter(form_token=token).first()
    if existing is not None:
        return existing, False
    household = _household(actor, household_id)
    try:
        return visit_log(
            actor=actor,
            household=household,
            kind=kind,
            met=met,
            notes=notes,
            needs=needs,
            photo=photo,
            lat=lat,
            lng=lng,
            form_token=token,
            request=request,
        )
    except PermissionDenied as exc:
        raise ValidationError({"household": str(exc)}) from exc
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise
        raise ValidationError({"photo": exc.messages[0]}) from exc


def _head(household: Household) -> Person | None:
    people = Person.objects.filter(household=household).order_by("id")
    return people.filter(relation="户主").first() or people.first()


@transaction.atomic
def field_case_sync(
    *,
    actor: User,
    key: str | None,
    household_id: int | None,
    category_id: int | None,
    title: str,
    description: str = "",
    contact_phone: str = "",
    photo: File | None = None,
    request: HttpRequest | None = None,
) -> tuple[Case, bool]:
    """Raise a request recorded on the spot offline; the same key twice returns the first one.

    Rule: whoever may visit the household may raise it (the grid worker's channel, 首问责任 with
    the sender), with the household's address, point and grid, and its head as the reporter; the
    contact phone typed on the phone is used when the head has none on file."""
    token = field_key(actor=actor, raw=key)
    existing = Case.objects.filter(idempotency_key=token).first()
    if existing is not None:
        return existing, False
    household = _household(actor, household_id)
    errors: dict[str, str] = {}
    category = category_choices().filter(pk=category_id or 0).first()
    if category is None:
        errors["category"] = _("请选择诉求类别。")
    title = (title or "").strip()
    if not 2 <= len(title) <= 80:
        errors["title"] = _("诉求标题须为 2 到 80 个字。")
    if len(description or "") > 2000:
        errors["description"] = _("诉求内容不能超过 2000 字。")
    head = _head(household)
    phone = (contact_phone or "").strip() or (head.phone if head else "")
    if not phone:
        errors["contact_phone"] = _("该户没有登记电话，请填写联系电话。")
    elif len(phone) > 20:
        errors["contact_phone"] = _("联系电话过长。")
    if photo is not None:
        try:
            photo_clean(photo)  # refused here with its field; case_submit cleans it again
        except ValidationError as exc:
            errors["photo"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    assert category is not None  # for mypy: checked above
    try:
        case, created = case_submit(
            title=title,
            description=(description or "").strip() or title,
            category=category,
            grid=household.grid,
            channel=intake_channel(actor),
            reporter_name=(head.name if head else household.number)[:50],
            reporter_phone=phone,
            created_by=actor,
            address=household.address,
            lat=household.lat,
            lng=household.lng,
            idempotency_key=token,
            photos=[photo] if photo is not None else [],
        )
    except CaseError as exc:
        raise ValidationError({"title": str(exc)}) from exc
    if created:
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            target=case,
            request=request,
            extra={"via": "field"},
        )
    return case, created
