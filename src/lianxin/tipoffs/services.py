"""举报 writes: filing, the handling steps and revealing the reporter.

Each is transactional and audited; audit rows carry only the id and the action (the reveal
also its reason), never the text, names or contact, so the audit page cannot leak a report.
Filing is audited without actor and without the client address: the audit page must not say
who filed, nor from where. The handlers' notification says only that a 举报 awaits them.
"""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lianxin.audit.services import audit_record
from lianxin.notifications.i18n import msg
from lianxin.notifications.models import NotificationKind
from lianxin.notifications.services import notify
from lianxin.org.models import Membership, Role, Unit
from lianxin.org.scoping import ancestors_q
from lianxin.tipoffs import crypto
from lianxin.tipoffs.models import Conclusion, Tipoff, TipoffState
from lianxin.tipoffs.rules import (
    discipline_codes,
    is_tipoff_handler,
    may_reveal_reporter,
    membership_covers,
)
from lianxin.tipoffs.selectors import CODE_LENGTH

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
NEW_TITLE = gettext_noop("有一件新的举报待您处理")
MAX_TEXT = 4000


def _code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def tipoff_handlers(tipoff: Tipoff) -> list:
    """The users who may handle ``tipoff`` (tipoffs.rules): supervisors above it, 纪检."""
    candidates = (
        Membership.objects.active()
        .filter(role=Role.SUPERVISOR)
        .filter(ancestors_q([tipoff.unit.path]) | _discipline_q())
        .select_related("unit", "user")
    )
    return sorted(
        {m.user for m in candidates if membership_covers(m, tipoff) and m.user.is_active},
        key=lambda u: u.pk,
    )


def _discipline_q() -> Q:
    codes = discipline_codes()
    return Q(unit__code__in=sorted(codes)) if codes else Q(pk__in=[])


@transaction.atomic
def tipoff_file(
    *,
    user,
    unit: Unit,
    text: str,
    reported_person: str = "",
    reporter_name: str = "",
    contact: str = "",
    anonymous: bool = True,
    form_token: str = "",
    request=None,
) -> tuple[Tipoff, str]:
    """File a 举报; returns it and the follow-up code (shown once, stored only as a keyed hash).

    Rule: an anonymous 举报 is linked to no account (no reporter key, no actor in the audit
    row), so not even a database reader with the key learns who filed it; a named one is
    linked by a keyed hash of the user id ("我的举报"). A repeated ``form_token`` (a double
    submit) files nothing and returns the first 举报 with an empty code.
    """
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("请填写举报内容。"))
    if len(text) > MAX_TEXT:
        raise ValidationError(_("举报内容过长。"))
    if form_token:
        first = Tipoff.objects.filter(form_token=form_token).first()
        if first is not None:
            return first, ""
    logged_in = getattr(user, "is_authenticated", False)
    named = logged_in and not anonymous
    code = _code()
    if named:
        identity = f"{user.pk}:{reporter_name.strip() or user.display_name or user}"
    else:
        identity = reporter_name.strip()
    try:
        with transaction.atomic():
            tipoff = Tipoff.objects.create(
                unit=unit,
                text_enc=crypto.encrypt(text),
                reported_person_enc=crypto.encrypt(reported_person.strip()),
                reporter_enc=crypto.encrypt(identity),
                contact_enc=crypto.encrypt(contact.strip()),
                reporter_key=crypto.keyed_hash(f"user:{user.pk}") if named else "",
                code_hash=crypto.keyed_hash(f"code:{code}"),
                anonymous=not named,
                form_token=form_token or None,
            )
    except IntegrityError:  # the same token posted concurrently: the first one stands
        return Tipoff.objects.get(form_token=form_token), ""
    audit_record(action="tipoff.file", actor=None, target=tipoff, target_repr=str(tipoff))
    url = reverse("tipoffs:detail", args=[tipoff.pk])
    notify(
        recipients=tipoff_handlers(tipoff),
        kind=NotificationKind.ASSIGNED,
        title=_(NEW_TITLE),
        url=url,
        dedupe_key=f"tipoff:{tipoff.pk}:new",
        title_msg=msg(NEW_TITLE),
    )
    return tipoff, code


def _locked(actor, tipoff: Tipoff, *, reveal: bool = False) -> Tipoff:
    """The row locked for the step, after the rule: the predicate itself, not has_perm (which
    Django grants a superuser without asking the rule)."""
    allowed = may_reveal_reporter if reveal else is_tipoff_handler
    if not allowed(actor, tipoff):
        raise PermissionDenied
    return Tipoff.objects.select_for_update().select_related("unit").get(pk=tipoff.pk)


def _step(actor, tipoff: Tipoff, action: str, request, extra: dict | None = None) -> None:
    audit_record(
        action=action,
        actor=actor,
        target=tipoff,
        target_repr=str(tipoff),
        request=request,
        extra=extra,
    )


@transaction.atomic
def tipoff_receive(*, actor, tipoff: Tipoff, request=None) -> Tipoff:
    """待受理 → 已受理, by a handler only (tipoffs.rules)."""
    tipoff = _locked(actor, tipoff)
    if tipoff.state != TipoffState.SUBMITTED:
        raise ValidationError(_("只有待受理的举报可以受理。"))
    tipoff.state = TipoffState.RECEIVED
    tipoff.save(update_fields=["state", "updated_at"])
    _step(actor, tipoff, "tipoff.receive", request)
    return tipoff


@transaction.atomic
def tipoff_investigate(*, actor, tipoff: Tipoff, request=None) -> Tipoff:
    """已受理 → 调查中, by a handler only."""
    tipoff = _locked(actor, tipoff)
    if tipoff.state != TipoffState.RECEIVED:
        raise ValidationError(_("只有已受理的举报可以开始调查。"))
    tipoff.state = TipoffState.INVESTIGATING
    tipoff.save(update_fields=["state", "updated_at"])
    _step(actor, tipoff, "tipoff.investigate", request)
    return tipoff


@transaction.atomic
def tipoff_conclude(
    *, actor, tipoff: Tipoff, conclusion: str, finding: str, feedback: str = "", request=None
) -> Tipoff:
    """调查中 → 已办结 with 属实/部分属实/不属实, a finding (handlers only) and the feedback the
    reporter reads through the follow-up code; both encrypted like the report."""
    tipoff = _locked(actor, tipoff)
    if tipoff.state != TipoffState.INVESTIGATING:
        raise ValidationError(_("只有调查中的举报可以办结。"))
    if conclusion not in Conclusion.values or not finding.strip():
        raise ValidationError(_("请选择结论并填写查处情况。"))
    if not feedback.strip():
        raise ValidationError(_("请填写给举报人的反馈。"))
    tipoff.state = TipoffState.CONCLUDED
    tipoff.conclusion = conclusion
    tipoff.finding_enc = crypto.encrypt(finding.strip()[:MAX_TEXT])
    tipoff.feedback_enc = crypto.encrypt(feedback.strip()[:MAX_TEXT])
    tipoff.save()
    _step(actor, tipoff, "tipoff.conclude", request, {"conclusion": conclusion})
    return tipoff


def tipoff_reveal_reporter(*, actor, tipoff: Tipoff, reason: str, request=None) -> dict:
    """The reporter's identity and contact, for tipoffs.reveal_reporter with a reason; the
    reason is audited, the identity is not (a refusal is audited too, outside the rollback)."""
    if not may_reveal_reporter(actor, tipoff):
        audit_record(
            action="tipoff.reveal_reporter",
            actor=actor,
            target=tipoff,
            target_repr=str(tipoff),
            outcome="refused",
            request=request,
        )
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写查看举报人身份的理由。"))
    with transaction.atomic():
        tipoff = _locked(actor, tipoff, reveal=True)
        audit_record(
            action="tipoff.reveal_reporter",
            actor=actor,
            target=tipoff,
            target_repr=str(tipoff),
            reason=reason[:500],
            request=request,
        )
    identity = crypto.decrypt(tipoff.reporter_enc)
    if not tipoff.anonymous:
        identity = identity.partition(":")[2]
    return {"reporter": identity, "contact": crypto.decrypt(tipoff.contact_enc)}
