"""Writes of 我的数据: the audited download, correction requests and their handling, and the
retention sweep that anonymises personal data past its period (PIPL Art. 19, 46, 47)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.audit.models import AuditAction
from lianxin.audit.services import SYSTEM_ACTOR, audit_record
from lianxin.cases.models import TERMINAL_STATES, Case
from lianxin.people.services import person_update
from lianxin.privacy.checks import AUDIT_MIN_DAYS
from lianxin.privacy.models import (
    CorrectionKind,
    CorrectionRequest,
    CorrectionState,
    RetentionRun,
)
from lianxin.privacy.rules import handles_correction
from lianxin.privacy.selectors import Section, own_person, own_unit
from lianxin.rooms.models import Booking
from lianxin.visits.models import Visit

if TYPE_CHECKING:
    from lianxin.accounts.models import User

# Fields of the person record a clerk may correct in place (through ``people.services``); any
# other correction is made by hand in the owning module and recorded as done.
PERSON_CORRECTABLE = {
    "name": gettext_lazy("姓名"),
    "phone": gettext_lazy("手机号"),
    "id_number": gettext_lazy("身份证号"),
    "relation": gettext_lazy("与户主关系"),
}

# ------------------------------------------------------------------------------ the download


def my_data_export_record(
    *, user: User, sections: list[Section], file_format: str, request=None
) -> None:
    """Every download of a resident's own data leaves an audit row (who, when, which format)."""
    audit_record(
        action=AuditAction.EXPORT,
        actor=user,
        target=user,
        target_repr=_("我的数据"),
        request=request,
        extra={"format": file_format, "rows": sum(len(s.rows) for s in sections)},
    )


def my_data_document(*, user: User, sections: list[Section], now: datetime) -> dict[str, Any]:
    return {
        "generated_at": timezone.localtime(now).isoformat(timespec="seconds"),
        "sections": {s.key: s.as_dict() for s in sections},
    }


# ------------------------------------------------------------------------------ corrections


def _require_handler(actor: User, correction: CorrectionRequest) -> None:
    if not (
        actor.has_perm("privacy.handle_correction") and handles_correction.test(actor, correction)
    ):
        raise PermissionDenied("privacy.handle_correction")


def _require_pending(correction: CorrectionRequest) -> None:
    if correction.state != CorrectionState.PENDING:
        raise ValidationError(_("该申请已处理。"))


def _lock(correction: CorrectionRequest) -> CorrectionRequest:
    return (
        CorrectionRequest.objects.select_for_update(of=("self",))
        .select_related("unit", "person", "person__unit")
        .get(pk=correction.pk)
    )


@transaction.atomic
def correction_request_create(
    *,
    actor: User,
    kind: str,
    problem: str,
    record_ref: str = "",
    field: str = "",
    proposed: str = "",
) -> CorrectionRequest:
    """A resident asks to correct their own data; it goes to the clerks of their own unit."""
    if kind not in CorrectionKind.values:
        raise ValidationError({"kind": _("请选择信息类别。")})
    problem = (problem or "").strip()
    if len(problem) < 2:
        raise ValidationError({"problem": _("请说明哪里不对。")})
    if field and (kind != CorrectionKind.PERSON or field not in PERSON_CORRECTABLE):
        raise ValidationError({"field": _("只有本人信息可以指定字段。")})
    unit = own_unit(user=actor)
    if unit is None:
        raise ValidationError(_("您的账号还没有关联所在村（社区），请到村（社区）办理。"))
    correction = CorrectionRequest.objects.create(
        resident=actor,
        person=own_person(user=actor),
        unit=unit,
        kind=kind,
        record_ref=(record_ref or "").strip()[:40],
        field=field,
        problem=problem[:500],
        proposed=(proposed or "").strip()[:200],
    )
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        target=correction,
        target_repr=str(correction),
        extra={"kind": kind, "field": field},
    )
    return correction


def correction_can_apply(correction: CorrectionRequest) -> bool:
    """The change can be made here, through the person record's own service."""
    return (
        correction.kind == CorrectionKind.PERSON
        and correction.field in PERSON_CORRECTABLE
        and correction.person_id is not None
    )


def _close(
    correction: CorrectionRequest, *, actor: User, state: str, response: str, now: datetime
) -> CorrectionRequest:
    correction.state = state
    correction.handled_by = actor
    correction.handled_at = now
    correction.response = response[:500]
    correction.save()
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        target=correction,
        target_repr=str(correction),
        reason=response[:500],
        extra={"state": state, "kind": correction.kind, "field": correction.field},
    )
    return correction


@transaction.atomic
def correction_apply(
    *,
    actor: User,
    correction: CorrectionRequest,
    value: str,
    note: str = "",
    now: datetime | None = None,
) -> CorrectionRequest:
    """Accept: the person record is changed through ``people.services.person_update`` (which
    checks the clerk's scope, validates the value and audits the fields changed). ``value``
    blank: the value the resident proposed (so the page never has to print it in full)."""
    correction = _lock(correction)
    _require_handler(actor, correction)
    _require_pending(correction)
    if not correction_can_apply(correction):
        raise ValidationError(_("该项不能在此直接更正，请在对应模块修改后标记为已人工处理。"))
    value = (value or "").strip() or correction.proposed.strip()
    if not value:
        raise ValidationError({"value": _("请填写更正后的内容。")})
    assert correction.person is not None
    person_update(actor=actor, person=correction.person, **{correction.field: value})
    response = (note or "").strip() or _("已按申请更正%(field)s。") % {
        "field": PERSON_CORRECTABLE[correction.field]
    }
    return _close(
        correction,
        actor=actor,
        state=CorrectionState.CORRECTED,
        response=response,
        now=now or timezone.now(),
    )


@transaction.atomic
def correction_mark_done(
    *, actor: User, correction: CorrectionRequest, note: str, now: datetime | None = None
) -> CorrectionRequest:
    """Recorded as corrected by hand in the owning module; the note says what was changed."""
    correction = _lock(correction)
    _require_handler(actor, correction)
    _require_pending(correction)
    note = (note or "").strip()
    if len(note) < 2:
        raise ValidationError({"note": _("请说明做了哪些更正。")})
    return _close(
        correction,
        actor=actor,
        state=CorrectionState.DONE,
        response=note,
        now=now or timezone.now(),
    )


@transaction.atomic
def correction_reject(
    *, actor: User, correction: CorrectionRequest, reason: str, now: datetime | None = None
) -> CorrectionRequest:
    """Not corrected; the reason is shown to the resident (PIPL Art. 50: a refusal is explained)."""
    correction = _lock(correction)
    _require_handler(actor, correction)
    _require_pending(correction)
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError({"note": _("请填写不予更正的理由。")})
    return _close(
        correction,
        actor=actor,
        state=CorrectionState.REJECTED,
        response=reason,
        now=now or timezone.now(),
    )


# ------------------------------------------------------------------------------ retention

RETENTION_DEFAULTS = {
    "case_reporter_phone": 365,
    "visit_notes": 730,
    "booking_contact": 180,
    "audit": AUDIT_MIN_DAYS,
}


def retention_days() -> dict[str, int]:
    """The periods in force: the settings over the defaults; the audit period is never below
    180 days (the system check refuses such a setting; this clamp holds if it is bypassed)."""
    days = {**RETENTION_DEFAULTS, **(getattr(settings, "LIANXIN_RETENTION_DAYS", {}) or {})}
    days["audit"] = max(AUDIT_MIN_DAYS, int(days["audit"]))
    return {k: int(v) for k, v in days.items()}


@dataclass
class SweepResult:
    counts: dict[str, int]
    days: dict[str, int]

    def as_dict(self) -> dict[str, Any]:
        return {"counts": self.counts, "days": self.days}


@transaction.atomic
def retention_sweep(*, now: datetime) -> SweepResult:
    """Anonymise what has passed its retention period; idempotent (a second run changes 0 rows).

    * reporter phone of a request closed, rejected or merged more than N days ago: blanked;
    * a household visit's notes (走访情况) and whom it met (见到的人), N days after the visit;
    * a room booking's free-text purpose (the only contact text a booking holds), N days after
      it ended;
    * audit rows: kept, never deleted or changed (``audit.models``: append-only evidence, at
      least 180 days by law); counted as 0.

    One audit row (actor ``system``) records the counts per kind and the periods applied.
    """
    days = retention_days()
    cutoff = {kind: now - timedelta(days=n) for kind, n in days.items()}
    counts = {
        "case_reporter_phone": Case.objects.filter(
            state__in=TERMINAL_STATES, closed_at__lt=cutoff["case_reporter_phone"]
        )
        .exclude(reporter_phone="")
        .update(reporter_phone=""),
        "visit_notes": Visit.objects.filter(visited_at__lt=cutoff["visit_notes"])
        .filter(~Q(notes="") | ~Q(met=""))
        .update(notes="", met=""),
        "booking_contact": Booking.objects.filter(ends_at__lt=cutoff["booking_contact"])
        .exclude(purpose="")
        .update(purpose=""),
        "audit": 0,
    }
    audit_record(
        action=AuditAction.UPDATE,
        username=SYSTEM_ACTOR,
        target_repr=_("个人信息保存期限清理"),
        reason=_("超过保存期限的个人信息已匿名化"),
        extra={"retention_sweep": counts, "days": days, "at": now.isoformat()},
    )
    return SweepResult(counts=counts, days=days)


@transaction.atomic
def retention_sweep_daily(*, now: datetime) -> dict[str, Any]:
    """The worker's job: one sweep per local day (the worker runs every minute)."""
    day = timezone.localdate(now)
    if RetentionRun.objects.filter(day=day).exists():
        return {"skipped": True}
    result = retention_sweep(now=now)
    RetentionRun.objects.create(day=day, ran_at=now, counts=result.counts)
    return result.as_dict()
