"""Writes on the 村级集体经济 ledger.

Rules enforced here (each cites its mechanism):
- a village's income for a year is set by its own village staff, the town staff above it or the
  county admin (``rules.may_set_income``), never for a unit that is not a village/community;
- amounts are 元, not negative, at most ``MAX_AMOUNT`` per source (a typo in 万 vs 元 is refused,
  not stored), with two decimals; the year lies between ``MIN_YEAR`` and the current year;
- one row per (village, year) (a unique constraint; setting again updates it). Every change is
  audited with the old and new figures; an unchanged save writes nothing.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.models import User
from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.economy.models import SOURCE_FIELDS, SOURCES, VillageIncome
from lianxin.economy.rules import may_set_income
from lianxin.org.models import Unit

MIN_YEAR = 2000
MAX_AMOUNT = Decimal("1000000000")  # 10 亿元 per source and village: beyond it is a typo


def clean_year(year: Any) -> int:
    """The year as an int within [MIN_YEAR, this year] (the county's clock), or a Chinese error."""
    try:
        value = int(str(year).strip())
    except (TypeError, ValueError) as exc:
        raise ValidationError({"year": _("年度应是四位数字，如 2025。")}) from exc
    this_year = timezone.localdate().year
    if value > this_year:
        raise ValidationError({"year": _("不能填报未来年度（%(y)s 年）。") % {"y": value}})
    if value < MIN_YEAR:
        raise ValidationError({"year": _("年度不能早于 %(y)s 年。") % {"y": MIN_YEAR}})
    return value


def clean_amounts(amounts: dict[str, Any]) -> dict[str, Decimal]:
    """Every source as a Decimal (empty means 0), or a ValidationError naming each bad field."""
    labels = dict(SOURCES)
    clean: dict[str, Decimal] = {}
    errors: dict[str, str] = {}
    for name in SOURCE_FIELDS:
        raw = amounts.get(name)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            clean[name] = Decimal("0")
            continue
        try:
            value = Decimal(str(raw).strip().replace(",", ""))
        except (InvalidOperation, ValueError):
            errors[name] = _("“%(label)s”应是数字（元）。") % {"label": labels[name]}
            continue
        if not value.is_finite():
            errors[name] = _("“%(label)s”应是数字（元）。") % {"label": labels[name]}
        elif value < 0:
            errors[name] = _("“%(label)s”不能为负数。") % {"label": labels[name]}
        elif value > MAX_AMOUNT:
            errors[name] = _("“%(label)s”超过 10 亿元，请核对单位是否为元。") % {
                "label": labels[name]
            }
        else:
            clean[name] = value.quantize(Decimal("0.01"))
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def income_set(
    *,
    actor: User,
    village: Unit,
    year: Any,
    amounts: dict[str, Any],
    note: str | None = None,
    request: HttpRequest | None = None,
) -> tuple[VillageIncome, str]:
    """Set one village's income for one year (see the module docstring for the rules).
    ``note=None`` keeps the note.
    Returns (row, outcome) with outcome "created", "updated" or "unchanged"."""
    if not may_set_income.test(actor, village):
        raise PermissionDenied(_("只有本村（社区）、所属乡镇或县级管理员可以填报。"))
    value_year = clean_year(year)
    clean = clean_amounts(amounts)
    new_note = None if note is None else note.strip()[:300]
    row = VillageIncome.objects.select_for_update().filter(village=village, year=value_year).first()
    if row is None:
        row = VillageIncome.objects.create(
            village=village, year=value_year, note=new_note or "", updated_by=actor, **clean
        )
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            target=row,
            request=request,
            extra={k: str(v) for k, v in clean.items()},
        )
        return row, "created"
    before = {k: str(getattr(row, k)) for k in SOURCE_FIELDS}
    changed = [k for k in SOURCE_FIELDS if getattr(row, k) != clean[k]]
    if new_note is not None and new_note != row.note:
        changed.append("note")
    if not changed:
        return row, "unchanged"
    for k in SOURCE_FIELDS:
        setattr(row, k, clean[k])
    if new_note is not None:
        row.note = new_note
    row.updated_by = actor
    row.save()
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        target=row,
        request=request,
        extra={"fields": changed, "before": before, "after": {k: str(clean[k]) for k in clean}},
    )
    return row, "updated"
