"""Writing audit rows. Every service that reveals, exports or changes rights calls this."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.http import HttpRequest

from lianxin.audit.models import AuditAction, AuditEvent

if TYPE_CHECKING:
    from lianxin.accounts.models import User

# The actor name of a row written by the system itself (a resident's self-registration, the
# demo, a command): the row has no actor account, and says so rather than leaving a blank.
SYSTEM_ACTOR = "system"


def client_ip(request: HttpRequest | None) -> str | None:
    """The real client address (behind the trusted proxies), as the rate limits see it."""
    if request is None:
        return None
    from lianxin.core.ratelimit import client_address

    return client_address(request) or None


def audit_record(
    *,
    action: AuditAction | str,
    actor: User | AnonymousUser | None = None,
    target: models.Model | None = None,
    target_repr: str = "",
    reason: str = "",
    outcome: str = "ok",
    request: HttpRequest | None = None,
    username: str = "",
    extra: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit row; the actor's name is copied so the row survives the account."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    actor = cast("User | None", actor)
    return AuditEvent.objects.create(
        actor=actor,
        actor_name=(actor.get_username() if actor is not None else username)[:150],
        action=str(action),
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=(target_repr or (str(target) if target is not None else ""))[:200],
        reason=reason[:500],
        outcome=outcome,
        ip_address=client_ip(request),
        path=(request.get_full_path()[:500] if request is not None else ""),
        extra=extra or {},
    )


def audit_record_system_many(
    *, action: AuditAction | str, rows: list[tuple[models.Model, str, str]], batch_size: int = 1000
) -> int:
    """Append one row per ``(target, target_repr, reason)`` written by the system itself
    (actor ``SYSTEM_ACTOR``), in bulk: the demo's thousands of role grants. Append-only like
    every row (``bulk_create`` inserts; nothing is updated)."""
    events = [
        AuditEvent(
            actor=None,
            actor_name=SYSTEM_ACTOR,
            action=str(action),
            target_type=target._meta.label_lower,
            target_id=str(target.pk),
            target_repr=target_repr[:200],
            reason=reason[:500],
        )
        for target, target_repr, reason in rows
    ]
    AuditEvent.objects.bulk_create(events, batch_size=batch_size)
    return len(events)
