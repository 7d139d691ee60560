"""每日待办: a morning digest for staff of the requests they answer for — overdue, and due today.

A periodic job (``cases.jobs``): from ``LIANXIN_DIGEST_HOUR`` (local) on, each staff member with
something in it gets one notice a day (a dedupe key per day), so a late run catches up and a
second run adds nothing. "Theirs": requests they signed for (``owner_user``) and requests in the
queue of a unit they hold a staff post at itself (``owner_unit``: the unit's staff, as
``owner_recipients`` tells them of new work). Overdue and due are the stored deadlines
(``overdue_q``): a query, never a timer.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lianxin.cases.models import AWAITING_ACCEPT_STATES, OPEN_STATES, Case, overdue_q
from lianxin.notifications.i18n import msg
from lianxin.notifications.models import Notification, NotificationKind
from lianxin.notifications.services import notify
from lianxin.org import selectors as org_selectors
from lianxin.org.models import Unit

T_DIGEST = gettext_noop("今日待办：%(date)s")
B_DIGEST = gettext_noop("超时：%(overdue)d；今日到期：%(today)d。%(codes)s")
LISTED = 5  # the first few codes in the body; the workbench has the rest


@dataclass
class Pile:
    overdue: list[Case] = field(default_factory=list)
    today: list[Case] = field(default_factory=list)


def digest_key(day) -> str:
    return f"digest:{day:%Y-%m-%d}"


def _due(case: Case) -> datetime | None:
    """The deadline that is running: 签收 while it waits in a queue, else 办结."""
    if case.state in AWAITING_ACCEPT_STATES and case.accept_due_at is not None:
        return case.accept_due_at
    return case.resolve_due_at


def digest_piles(*, now: datetime) -> dict[int, Pile]:
    """Per staff user id: their open requests overdue now, and those due later today."""
    local = timezone.localtime(now)
    end_of_day = local.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    today_q = Q(state__in=AWAITING_ACCEPT_STATES, accept_due_at__range=(now, end_of_day)) | Q(
        state__in=OPEN_STATES, resolve_due_at__range=(now, end_of_day)
    )
    rows = list(
        Case.objects.filter(state__in=OPEN_STATES)
        .filter(overdue_q(now) | today_q)
        .only(
            "code", "title", "state", "accept_due_at", "resolve_due_at", "owner_user", "owner_unit"
        )
        .order_by("resolve_due_at", "pk")
    )
    unit_ids = {c.owner_unit_id for c in rows if c.owner_unit_id is not None}
    units = {u.pk: u for u in Unit.objects.filter(pk__in=unit_ids)}
    staff = {pk: [s.pk for s in org_selectors.unit_staff(u)] for pk, u in units.items()}
    piles: dict[int, Pile] = defaultdict(Pile)
    for case in rows:
        if case.owner_user_id is not None:
            owners = [case.owner_user_id]
        else:
            owners = staff.get(case.owner_unit_id or 0, [])
        due = _due(case)
        late = due is not None and due < now
        for uid in owners:
            (piles[uid].overdue if late else piles[uid].today).append(case)
    return dict(piles)


def staff_digest(*, now: datetime) -> int:
    """Send today's digests not sent yet; returns how many."""
    local = timezone.localtime(now)
    if local.hour < int(getattr(settings, "LIANXIN_DIGEST_HOUR", 8)):
        return 0
    key = digest_key(local.date())
    piles = digest_piles(now=now)
    done = set(
        Notification.objects.filter(dedupe_key=key, recipient_id__in=piles).values_list(
            "recipient_id", flat=True
        )
    )
    from lianxin.accounts.models import User

    users = User.objects.filter(is_active=True).in_bulk([u for u in piles if u not in done])
    date = f"{local.date():%Y-%m-%d}"
    for uid, user in users.items():
        pile = piles[uid]
        listed = [c.code for c in (pile.overdue + pile.today)[:LISTED]]
        codes = " ".join(listed)
        params = {"overdue": len(pile.overdue), "today": len(pile.today), "codes": codes}
        notify(
            recipients=[user],
            kind=NotificationKind.DIGEST,
            title=_(T_DIGEST) % {"date": date},
            body=_(B_DIGEST) % params,
            title_msg=msg(T_DIGEST, date=date),
            body_msg=msg(B_DIGEST, **params),
            url=reverse("cases:workbench"),
            dedupe_key=key,
        )
    return len(users)
