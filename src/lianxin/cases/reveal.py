"""The reporter's full phone number, for the handler who must call them back.

The same mechanism as for people (``people.services.person_reveal``): masked by default, shown
in full only after a reason is given, every reveal (and every refusal) audited without the
number itself, and counted against the same per-user limit (``LIANXIN_REVEAL_LIMIT``, one shared
counter) so an account cannot page through a county's reporters.

Who may: the predicate ``cases.reveal_reporter`` (``rules.py``) — the current handler, staff of
the handling unit (or of the unit whose queue holds it), and staff of the units above it. Staff
who merely see the request because it is located in their area, while another unit handles it,
may not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.cases.models import Case
from lianxin.core.ratelimit import key_rate_limited
from lianxin.people.services import RevealLimitExceeded

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest

    from lianxin.accounts.models import User

# The people module's counter: a reveal of a reporter's phone and of a person's ID count alike.
REVEAL_SCOPE = "people:reveal"


def may_reveal_reporter(user: User | AnonymousUser, case: Case) -> bool:
    """The rule itself is ``services.authority.can_reveal_reporter`` (who may act, one place)."""
    from lianxin.cases.services.authority import can_reveal_reporter

    return can_reveal_reporter(user, case)


def reporter_phone_reveal(
    *, actor: User, case: Case, reason: str, request: HttpRequest | None = None
) -> str:
    """Return the reporter's full phone; audited (who, which request, why — never the number).

    Not one transaction on purpose, as ``person_reveal``: the refusal's audit row must survive
    the exception and the counter lives in the shared cache. The caller fetched ``case`` through
    the scoped selector (a request outside the scope is a 404 before this).
    """
    if not actor.has_perm("cases.reveal_reporter", case):
        raise PermissionDenied("cases.reveal_reporter")
    if not case.reporter_phone:
        raise ValidationError(_("该诉求没有留联系电话。"))
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError(_("请填写查看完整信息的事由。"))
    limit, window = settings.LIANXIN_REVEAL_LIMIT
    refused = key_rate_limited(scope=REVEAL_SCOPE, key=str(actor.pk), limit=limit, window=window)
    audit_record(
        action=AuditAction.REVEAL,
        actor=actor,
        target=case,
        target_repr=case.code,
        reason=reason[:500],
        outcome="refused" if refused else "ok",
        request=request,
        extra={"field": "reporter_phone", "refused": "rate_limit"}
        if refused
        else {"field": "reporter_phone"},
    )
    if refused:
        raise RevealLimitExceeded(
            _("查看完整信息过于频繁（每 %(minutes)d 分钟最多 %(limit)d 次），请稍后再试。")
            % {"minutes": window // 60, "limit": limit}
        )
    return case.reporter_phone
