"""What people signed up for an event hear: 候补转正 (a place came free), 活动变更 (time or place
moved), 活动取消. Called from the step's service inside its transaction; e-mail and SMS follow
the commit (``notifications.delivery``).

Who: the registration's account, or the account of the person a clerk signed up at the desk;
an elder without an account hears from the clerk.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lianxin.events.models import Event, Registration, RegistrationStatus
from lianxin.notifications.i18n import msg
from lianxin.notifications.models import NotificationKind
from lianxin.notifications.services import notify

if TYPE_CHECKING:
    from lianxin.accounts.models import User

T_PROMOTED = gettext_noop("候补转正，您已报名成功：%(title)s")
T_CHANGED = gettext_noop("活动有变更：%(title)s")
B_CHANGED = gettext_noop("时间：%(when)s；地点：%(place)s")
T_CANCELLED = gettext_noop("活动已取消：%(title)s")
B_CANCELLED = gettext_noop("取消原因：%(reason)s")


def registrant(reg: Registration) -> User | None:
    if reg.user_id:
        return reg.user
    person = reg.person
    return person.user if person is not None and person.user_id else None


def _tell(
    event: Event, regs: Iterable[Registration], kind: str, title: str, body: str = "", **params
) -> None:
    recipients = [registrant(r) for r in regs]
    if not any(recipients):
        return
    notify(
        recipients=recipients,
        kind=kind,
        title=_(title) % {"title": event.title},
        body=_(body) % params if body else "",
        title_msg=msg(title, title=event.title),
        body_msg=msg(body, **params) if body else None,
        url=reverse("events:event_detail", args=[event.pk]),
    )


def _live(event: Event):
    return (
        event.registrations.exclude(status=RegistrationStatus.CANCELLED)
        .select_related("user", "person__user")
        .order_by("created_at", "id")
    )


def tell_promoted(event: Event, promoted: Iterable[Registration]) -> None:
    """候补转正: each promoted person hears they now have a place."""
    _tell(event, list(promoted), NotificationKind.WAITLIST_PROMOTED, T_PROMOTED)


def tell_changed(event: Event) -> None:
    """A new time or place: everyone signed up (confirmed or waiting) hears the new details."""
    when = f"{timezone.localtime(event.starts_at):%Y-%m-%d %H:%M}"
    place = f"{event.place} {event.room}".strip()
    _tell(
        event,
        _live(event),
        NotificationKind.EVENT_CHANGED,
        T_CHANGED,
        B_CHANGED,
        when=when,
        place=place,
    )


def tell_cancelled(event: Event, reason: str) -> None:
    """取消: everyone signed up hears, with the reason."""
    _tell(
        event,
        _live(event),
        NotificationKind.EVENT_CANCELLED,
        T_CANCELLED,
        B_CANCELLED,
        reason=reason.strip()[:100],
    )
