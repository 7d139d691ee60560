"""What the wisher hears about their 微心愿: 已发布 (on the wall), 被认领 (by whom), 已点亮.

Called from the step's service inside its transaction; e-mail and SMS follow the commit
(``notifications.delivery``). Who: the resident the wish is for when they have an account,
else whoever posted it (the clerk who posted it for an elder acts for them, 代为提交).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lianxin.notifications.i18n import msg
from lianxin.notifications.models import NotificationKind
from lianxin.notifications.services import notify
from lianxin.wishes.models import Wish

if TYPE_CHECKING:
    from lianxin.accounts.models import User

T_PUBLISHED = gettext_noop("您的心愿已发布：%(title)s")
T_CLAIMED = gettext_noop("您的心愿已被认领：%(title)s")
B_CLAIMED = gettext_noop("认领人：%(name)s")
T_LIT = gettext_noop("您的心愿已点亮：%(title)s")
B_LIT = gettext_noop("请查看照片并确认心愿已实现。")


def wisher(wish: Wish) -> User | None:
    person = wish.beneficiary
    if person is not None and person.user_id:
        return person.user
    return wish.posted_by


def _tell(wish: Wish, actor: User, kind: str, title: str, body: str = "", **params: str) -> None:
    person = wisher(wish)
    if person is None or person.pk == actor.pk:  # nobody is told what they did themselves
        return
    notify(
        recipients=[person],
        kind=kind,
        title=_(title) % {"title": wish.title},
        body=_(body) % params if body else "",
        title_msg=msg(title, title=wish.title),
        body_msg=msg(body, **params) if body else None,
        url=reverse("wishes:wish_detail", args=[wish.pk]),
    )


def tell_published(wish: Wish, actor: User) -> None:
    _tell(wish, actor, NotificationKind.WISH_PUBLISHED, T_PUBLISHED)


def tell_claimed(wish: Wish, actor: User) -> None:
    _tell(wish, actor, NotificationKind.WISH_CLAIMED, T_CLAIMED, B_CLAIMED, name=wish.claimant_name)


def tell_lit(wish: Wish, actor: User) -> None:
    _tell(wish, actor, NotificationKind.WISH_LIT, T_LIT, B_LIT)
