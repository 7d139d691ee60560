"""共同反映人: "我也遇到" at intake, and keeping a merged duplicate's reporters.

A resident who finds their matter already reported nearby joins that request instead of filing
a second one: they are told of its outcome and may rate it (``authority.may_evaluate``). A
duplicate merged by staff keeps its reporters the same way, so nobody who reported is lost.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from lianxin.audit.services import audit_record
from lianxin.cases.models import LIVE_STATES, Case, CoReporter, CoReporterSource, EventKind
from lianxin.cases.services.common import _event, _lock, _now
from lianxin.cases.services.machine import CaseError, _required_text
from lianxin.core.validators import normalize_phone
from lianxin.notifications.models import NotificationKind
from lianxin.notifications.services import notify

if TYPE_CHECKING:
    from lianxin.accounts.models import User


def case_co_report(
    *,
    case: Case,
    name: str,
    phone: str,
    user: User | None = None,
    now: datetime | None = None,
) -> tuple[CoReporter, bool]:
    """我也遇到: attach a resident to a live request (open, or resolved awaiting evaluation).

    Once per phone per request (the same resident twice gives the first row back); the
    request's own reporter is not added again. The timeline says another resident reported it,
    never who (their number is theirs); the audit trail keeps who.
    """
    name = _required_text(name, _("联系人"))[:50]
    phone = normalize_phone(_required_text(phone, _("联系电话")))[:20]
    with transaction.atomic():
        case = _lock(case)
        if case.state not in LIVE_STATES:
            raise CaseError(_("该诉求已办结关闭，请提交新的诉求。"))
        existing = CoReporter.objects.filter(case=case, phone=phone).first()
        if existing is not None:
            return existing, False
        if phone == normalize_phone(case.reporter_phone) or (
            user is not None and case.reporter_id == user.pk
        ):
            raise CaseError(_("这是您自己提交的诉求。"))
        try:
            with transaction.atomic():
                row = CoReporter.objects.create(
                    case=case,
                    user=user if user is not None and user.is_authenticated else None,
                    name=name,
                    phone=phone,
                    source=CoReporterSource.ATTACH,
                )
        except IntegrityError:  # the same phone at the same moment
            return CoReporter.objects.get(case=case, phone=phone), False
        _event(
            case,
            EventKind.CO_REPORT,
            actor=row.user,
            note=_("又有一位群众反映了同一问题。"),
            from_state=case.state,
            at=_now(now),
        )
        audit_record(
            action="cases.co_report",
            actor=row.user,
            target=case,
            username=name,
            extra={"phone": phone[-4:]},
        )
    return row, True


def keep_reporters(*, duplicate: Case, into: Case) -> list[CoReporter]:
    """The duplicate's reporter and co-reporters become ``into``'s co-reporters (merge).

    Called inside the merge's transaction, both rows locked. Whoever has an account is told
    which request now carries their matter.
    """
    people = [(duplicate.reporter, duplicate.reporter_name, duplicate.reporter_phone)]
    people += [(c.user, c.name, c.phone) for c in duplicate.co_reporters.all()]
    known = {normalize_phone(into.reporter_phone)} | set(
        into.co_reporters.values_list("phone", flat=True)
    )
    kept = []
    for user, name, phone in people:
        phone = normalize_phone(phone or "")[:20]
        if not phone or phone in known:
            continue
        known.add(phone)
        kept.append(
            CoReporter.objects.create(
                case=into,
                user=user,
                name=(name or "")[:50] or _("群众"),
                phone=phone,
                source=CoReporterSource.MERGE,
                from_case=duplicate,
            )
        )
    recipients = {u.pk: u for u, _n, _p in people if u is not None}
    notify(
        recipients=list(recipients.values()),
        kind=NotificationKind.UPDATE,
        title=_("您反映的诉求已与同类诉求合并办理：%(title)s") % {"title": into.title},
        body=_("查询码 %(code)s，办理结果会通知您，您也可以评价。") % {"code": into.code},
        url=reverse("cases:track", args=[into.code]),
    )
    return kept


def co_reporter_users(case: Case) -> list[User]:
    """The co-reporters with accounts (told of the outcome)."""
    return [c.user for c in case.co_reporters.select_related("user") if c.user is not None]
