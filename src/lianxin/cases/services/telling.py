"""What the resident hears about their request: 已受理, 承办人变更, 已办结 (with the link to rate
it), 重新办理. Each is called from the step's service, inside its transaction; notifications
plans the e-mail and SMS and sends them after the commit (``notifications.delivery``).

Who: the reporter and the co-reporters (我也遇到, merged duplicates): the people the request
answers to. A phone-only reporter without an account hears through the tracking page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lianxin.cases.models import Case
from lianxin.cases.services.coreport import co_reporter_users
from lianxin.notifications.i18n import msg
from lianxin.notifications.models import NotificationKind
from lianxin.notifications.services import notify

if TYPE_CHECKING:
    from lianxin.accounts.models import User

T_ACCEPTED = gettext_noop("您的诉求已受理：%(title)s")
B_ACCEPTED = gettext_noop("%(post)s已签收，正在办理。")
T_HANDLER = gettext_noop("您的诉求已转交：%(title)s")
B_HANDLER = gettext_noop("现由%(unit)s办理。")
T_RESOLVED = gettext_noop("您的诉求已办结，请评价：%(title)s")
T_REOPENED = gettext_noop("您的诉求重新办理：%(title)s")


def reporters(case: Case) -> list[User]:
    """The reporter and every co-reporter with an account (each once)."""
    people = [case.reporter] if case.reporter_id else []
    return [u for u in [*people, *co_reporter_users(case)] if u is not None]


def _tell(case: Case, kind: str, title: str, body: str, url: str, **params: str) -> None:
    recipients = reporters(case)
    if not recipients:
        return
    notify(
        recipients=recipients,
        kind=kind,
        title=_(title) % {"title": case.title},
        body=_(body) % params if body else "",
        title_msg=msg(title, title=case.title),
        body_msg=msg(body, **params) if body else None,
        url=url,
    )


def tell_accepted(case: Case, *, first: bool) -> None:
    """签收: the first accept is 已受理; a later one (after a transfer) is a new handler."""
    where = case.handler_post or (case.unit.name if case.unit_id else "")
    if first:
        _tell(case, NotificationKind.CASE_ACCEPTED, T_ACCEPTED, B_ACCEPTED, track(case), post=where)
    else:
        tell_handler_changed(case)


def tell_handler_changed(case: Case) -> None:
    """转办, 上报, 退回 after someone had answered for it, or a new 签收: who has it now. Moves
    between queues before the first 签收 are internal routing, not news to the resident."""
    if case.first_accepted_at is None:
        return
    unit = case.unit.name if case.unit_id else ""
    _tell(case, NotificationKind.CASE_HANDLER, T_HANDLER, B_HANDLER, track(case), unit=unit)


def tell_resolved(case: Case) -> None:
    """办结: the result is on the tracking page and the link opens the rating (群众评价)."""
    _tell(
        case,
        NotificationKind.CASE_RESOLVED,
        T_RESOLVED,
        "",
        reverse("cases:evaluate", args=[case.code]),
    )


def tell_reopened(case: Case) -> None:
    """重新办理 (by the level above, or after a 不满意 rating): the request is open again."""
    _tell(case, NotificationKind.CASE_REOPENED, T_REOPENED, "", track(case))


def track(case: Case) -> str:
    return reverse("cases:track", args=[case.code])
