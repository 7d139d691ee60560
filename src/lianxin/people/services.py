"""Writes about people, and the audited reveal of their full ID and phone numbers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.core.idempotency import create_once
from lianxin.core.ratelimit import key_rate_limited
from lianxin.core.validators import is_valid_id_number, normalize_id_number, normalize_phone
from lianxin.org.models import GRID_KINDS, Unit
from lianxin.org.scoping import require_covers, user_scope
from lianxin.people.models import Gender, Household, Person

if TYPE_CHECKING:
    from lianxin.accounts.models import User

REVEALABLE_FIELDS = {"id_number", "phone"}


class RevealLimitExceeded(ValidationError):
    """More full reveals in the window than ``LIANXIN_REVEAL_LIMIT`` allows one user."""


def person_reveal(*, actor: User, person: Person, field: str, reason: str, request=None) -> str:
    """Return one full personal value; every reveal writes an audit row (who, whom, when, why).

    Each user may reveal ``LIANXIN_REVEAL_LIMIT`` values per window (30 an hour by default), so a
    leaked or misused staff account cannot page through a village's ID numbers; a refusal is
    audited too (outcome ``refused``). Not one transaction on purpose: the refusal's audit row
    must survive the exception, and the counter lives in the shared cache, outside it.
    The caller has already fetched ``person`` through the scoped selector.
    """
    if field not in REVEALABLE_FIELDS:
        raise ValidationError(_("不支持查看该字段。"))
    if not actor.has_perm("people.reveal_person", person):
        raise PermissionDenied("people.reveal_person")
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError(_("请填写查看完整信息的事由。"))
    limit, window = settings.LIANXIN_REVEAL_LIMIT
    refused = key_rate_limited(scope="people:reveal", key=str(actor.pk), limit=limit, window=window)
    audit_record(
        action=AuditAction.REVEAL,
        actor=actor,
        target=person,
        target_repr=person.name,
        reason=reason,
        outcome="refused" if refused else "ok",
        request=request,
        extra={"field": field, "refused": "rate_limit"} if refused else {"field": field},
    )
    if refused:
        raise RevealLimitExceeded(
            _("查看完整信息过于频繁（每 %(minutes)d 分钟最多 %(limit)d 次），请稍后再试。")
            % {"minutes": window // 60, "limit": limit}
        )
    return getattr(person, field)


def _require_scope(actor: User, unit: Unit) -> None:
    require_covers(actor, unit, message="unit outside the actor's scope")


def _derive_from_id(fields: dict[str, Any]) -> None:
    """Birth date and gender follow from a valid ID number (GB 11643): digits 7-14 and 17."""
    from datetime import date

    number = fields.get("id_number") or ""
    if not is_valid_id_number(number):
        return
    fields.setdefault("birth_date", None)
    fields["birth_date"] = fields["birth_date"] or date(
        int(number[6:10]), int(number[10:12]), int(number[12:14])
    )
    if not fields.get("gender"):
        fields["gender"] = Gender.MALE if int(number[16]) % 2 else Gender.FEMALE


def _clean_numbers(fields: dict[str, Any]) -> None:
    if fields.get("id_number"):
        fields["id_number"] = normalize_id_number(fields["id_number"])
    if fields.get("phone"):
        fields["phone"] = normalize_phone(fields["phone"])


def _require_id_number_free(actor: User, number: str, *, exclude_pk: int | None = None) -> None:
    """One person per ID number, said in words the clerk can act on (not the database's
    constraint name). Inside the clerk's scope the message names the person already holding
    the number; outside it names nobody: which household or village holds an ID number is
    not the clerk's to learn, so they ask a level above to check."""
    if not number:
        return
    others = Person.objects.filter(id_number=number)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    existing = others.select_related("unit", "household").first()
    if existing is None:
        return
    if existing.unit_id and user_scope(actor).covers(existing.unit):
        where = existing.household.number if existing.household is not None else existing.unit.name
        message = _("该身份证号已登记为 %(name)s（%(where)s），请勿重复登记。") % {
            "name": existing.name,
            "where": where,
        }
    else:
        message = _("该身份证号已登记，请联系上级管理员核实。")
    raise ValidationError({"id_number": ValidationError(message, code="duplicate_id_number")})


@transaction.atomic
def household_create(
    *,
    actor: User,
    address: str,
    grid: Unit | None = None,
    lng: float | None = None,
    lat: float | None = None,
    tags: list[str] | None = None,
    number: str = "",
    form_token: str = "",
) -> Household:
    """Register a household in a grid the actor covers; a map point alone finds its grid.

    The same ``form_token`` again (a double tap on 保存) returns the first household: one
    registration per submitted form (core.idempotency)."""
    if grid is None and lng is not None and lat is not None:
        from lianxin.org.geo import grid_locate

        grid = grid_locate(lng=lng, lat=lat)
    if grid is None or grid.kind not in GRID_KINDS:
        raise ValidationError({"grid": _("请选择网格，或在地图上点选住址位置。")})
    _require_scope(actor, grid)

    def create(token: str | None) -> Household:
        return _household_insert(
            actor=actor,
            grid=grid,
            address=address,
            lng=lng,
            lat=lat,
            tags=tags,
            number=number,
            token=token,
        )

    return create_once(Household, form_token=form_token, create=create)[0]


def _household_insert(
    *, actor: User, grid: Unit, address: str, lng, lat, tags, number: str, token: str | None
) -> Household:
    if not number:
        last = (
            Household.objects.select_for_update()
            .filter(grid=grid, number__startswith=f"{grid.code}-H")
            .order_by("-number")
            .values_list("number", flat=True)
            .first()
        )
        seq = int(last.rsplit("-H", 1)[1]) + 1 if last and last.rsplit("-H", 1)[1].isdigit() else 1
        number = f"{grid.code}-H{seq:05d}"
    household = Household(
        number=number,
        grid=grid,
        address=address.strip(),
        lng=lng,
        lat=lat,
        tags=list(tags or []),
        form_token=token,
    )
    household.full_clean(exclude=["form_token"])
    household.save()
    audit_record(
        action=AuditAction.CREATE, actor=actor, target=household, target_repr=household.number
    )
    return household


@transaction.atomic
def person_create(*, actor: User, form_token: str = "", **fields: Any) -> Person:
    """Register a person; in a household the person belongs to the household's grid.

    The same ``form_token`` again returns the first person (one per submitted form)."""
    household = fields.get("household")
    if household is not None:
        fields["unit"] = household.grid
    unit = fields.get("unit")
    if unit is None:
        raise ValidationError({"unit": _("请选择所属单元。")})
    _require_scope(actor, unit)
    _clean_numbers(fields)
    _derive_from_id(fields)

    def create(token: str | None) -> Person:
        # Inside create_once: an identical POST that lost the race finds the ID number taken
        # by the winner, and gets the winner's row back rather than the "already registered"
        # message meant for a different form.
        _require_id_number_free(actor, fields.get("id_number") or "")
        person = Person(**fields, form_token=token)
        person.full_clean(exclude=["form_token"])
        person.save()
        audit_record(action=AuditAction.CREATE, actor=actor, target=person, target_repr=person.name)
        return person

    return create_once(Person, form_token=form_token, create=create)[0]


PERSON_EDITABLE = {"name", "gender", "birth_date", "id_number", "phone", "relation"}


@transaction.atomic
def person_update(*, actor: User, person: Person, **fields: Any) -> Person:
    """Change a person's record; the audit row names the fields changed, never their values."""
    unknown = set(fields) - PERSON_EDITABLE
    if unknown:
        raise ValidationError(_("不能修改这些字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    _require_scope(actor, person.unit)
    _clean_numbers(fields)
    _require_id_number_free(actor, fields.get("id_number") or "", exclude_pk=person.pk)
    changed = sorted(k for k, v in fields.items() if getattr(person, k) != v)
    for key, value in fields.items():
        setattr(person, key, value)
    person.full_clean()
    person.save()
    if changed:
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            target=person,
            target_repr=person.name,
            extra={"fields": changed},
        )
    return person
