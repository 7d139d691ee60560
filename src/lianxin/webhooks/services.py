"""Writes of 回传推送: registering and deactivating subscriptions, turning a request's step
into deliveries, trying a delivery, retrying and replaying.

Rules enforced here:

* 一事一推: each state change of a request (one ``cases.CaseEvent``) is queued at most once per
  subscription (a unique constraint on (subscription, case event)), with one event id that
  every retry and replay repeats, so the receiver can deduplicate.
* Only a hand-off step is pushed (``is_hand_off_step``): a new state, or a new handling unit.
  Internal notes, warnings and 督办 are the platform's own business.
* No personal data leaves (``delivery_payload``): the request's code, state, handling unit, the
  step and its public note with digit runs masked; never the reporter, the address, the text.
* A failed try is retried after ``LIANXIN_WEBHOOK_BACKOFF_SECONDS`` × 2^(n−1) (capped at
  ``LIANXIN_WEBHOOK_BACKOFF_MAX_SECONDS``) until ``LIANXIN_WEBHOOK_MAX_ATTEMPTS`` tries, then the
  delivery is failed; a county administrator may replay it (a new round of tries, same event id).
"""

from __future__ import annotations

import logging
import urllib.parse
import uuid
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.cases.models import Case, CaseEvent, EventKind, State
from lianxin.core.masking import mask_numbers
from lianxin.integrations.models import IntegrationCase
from lianxin.org.scoping import ancestors_q
from lianxin.webhooks import addresses, crypto, signing, transport
from lianxin.webhooks.models import Delivery, DeliveryAttempt, DeliveryState, Subscription

if TYPE_CHECKING:
    from lianxin.accounts.models import User
    from lianxin.integrations.models import Integration
    from lianxin.org.models import Unit

logger = logging.getLogger(__name__)

EVENT_TYPE = "case.state_changed"
# Steps that hand a request on without necessarily changing its state (a new handling unit).
HAND_OFF_KINDS = frozenset(
    {EventKind.SUBMIT, EventKind.DISPATCH, EventKind.TRANSFER, EventKind.SEND_BACK,
     EventKind.ESCALATE}
)  # fmt: skip
# Steps whose note is a resident's own words (a rating comment): never sent.
RESIDENT_NOTE_KINDS = frozenset({EventKind.SUBMIT, EventKind.EVALUATE, EventKind.CO_REPORT})
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
NOTE_MAX = 1000


# ------------------------------------------------------------------------------ settings
def max_attempts() -> int:
    return max(1, int(settings.LIANXIN_WEBHOOK_MAX_ATTEMPTS))


def backoff(attempt: int) -> timedelta:
    """The wait after failed try number ``attempt`` (1-based): base × 2^(attempt−1), capped."""
    base = float(settings.LIANXIN_WEBHOOK_BACKOFF_SECONDS)
    cap = float(settings.LIANXIN_WEBHOOK_BACKOFF_MAX_SECONDS)
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempt - 1)))


def _timeout() -> float:
    return float(settings.LIANXIN_WEBHOOK_TIMEOUT_SECONDS)


# ------------------------------------------------------------------------ subscriptions
def validate_webhook_url(url: str) -> str:
    """An https URL with a host and no user:password part; plain http only to a loopback
    address, and only where ``LIANXIN_WEBHOOK_ALLOW_LOOPBACK_HTTP`` is on (never in
    production): the signed steps of residents' requests must not cross a network in clear."""
    url = (url or "").strip()
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018  (raises ValueError on a bad port)
    except ValueError as exc:
        raise ValidationError(_("推送地址格式不正确。")) from exc
    if not host or len(url) > 500:
        raise ValidationError(_("推送地址格式不正确。"))
    if parts.username or parts.password:
        raise ValidationError(_("推送地址不能包含用户名或密码。"))
    if addresses.literal_refusal(host):
        raise ValidationError(
            _("推送地址不能指向本机、内网或保留地址；政务外网地址请由运维加入允许的网段。")
        )
    if parts.scheme == "https":
        return url
    loopback = parts.scheme == "http" and host in LOOPBACK_HOSTS
    if loopback and settings.LIANXIN_WEBHOOK_ALLOW_LOOPBACK_HTTP:
        return url
    raise ValidationError(_("推送地址必须以 https:// 开头。"))


def _url_for_audit(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"  # no query: it may hold a key


def subscription_create(
    *,
    actor: User,
    name: str,
    url: str,
    unit: Unit | None = None,
    integration: Integration | None = None,
    request: HttpRequest | None = None,
) -> tuple[Subscription, str]:
    """Register a URL for one integration's requests or one unit's; returns the subscription
    and its signing secret, which is shown this once (stored encrypted, never shown again).
    Only a county administrator covering the unit (the integration's unit) may register."""
    if (unit is None) == (integration is None):
        raise ValidationError(_("请选择一个接入方或一个单位（二者选一）。"))
    home = integration.unit if integration is not None else unit
    assert home is not None  # one of the two, checked above
    if not actor.has_perm("webhooks.manage_webhook", home):
        raise PermissionDenied
    if integration is not None and not integration.is_active:
        raise ValidationError(_("该接入方已停用。"))
    url = validate_webhook_url(url)
    name = (name or "").strip()[:80]
    if not name:
        raise ValidationError(_("请填写名称。"))
    secret = crypto.new_secret()
    with transaction.atomic():
        sub = Subscription.objects.create(
            name=name,
            url=url,
            integration=integration,
            unit=home,
            secret_encrypted=crypto.encrypt_secret(secret),
            created_by=actor,
        )
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            target=sub,
            request=request,
            reason="webhook subscription",
            extra={
                "url": _url_for_audit(url),
                "unit": home.code,
                "integration": integration.pk if integration is not None else None,
            },
        )
    return sub, secret


def subscription_deactivate(
    *, actor: User, subscription: Subscription, request: HttpRequest | None = None
) -> Subscription:
    """Stop a subscription: no new deliveries, and the ones still waiting fail now (their log
    says why). Idempotent: a second call changes nothing and writes no second audit row."""
    if not actor.has_perm("webhooks.manage_webhook", subscription):
        raise PermissionDenied
    with transaction.atomic():
        sub = Subscription.objects.select_for_update().get(pk=subscription.pk)
        if not sub.is_active:
            return sub
        sub.is_active = False
        sub.deactivated_at = timezone.now()
        sub.save(update_fields=["is_active", "deactivated_at"])
        dropped = Delivery.objects.filter(subscription=sub, state=DeliveryState.PENDING).update(
            state=DeliveryState.FAILED, next_attempt_at=None, last_error="subscription deactivated"
        )
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            target=sub,
            request=request,
            reason="webhook subscription deactivated",
            extra={"pending_failed": dropped},
        )
    return sub


# ------------------------------------------------------------------ steps -> deliveries
def is_hand_off_step(event: CaseEvent) -> bool:
    """A step the receiving platform must hear of: the request got a new state, or was handed
    to a unit (submitted, dispatched, transferred, sent back, escalated)."""
    if event.kind in HAND_OFF_KINDS:
        return True
    return bool(event.from_state) and event.from_state != event.to_state


def subscriptions_matching(case: Case) -> list[Subscription]:
    """Active subscriptions that hear of ``case``: those of the integration it came from
    (``integrations.IntegrationCase``, while the integration is active), and those of every
    unit at or above its handling unit or its grid (the same two fields that scope requests)."""
    origin = IntegrationCase.objects.filter(case=case).only("integration_id").first()
    q = Q(integration__isnull=True) & ancestors_q([case.unit.path, case.grid.path], ("unit",))
    if origin is not None:
        q |= Q(integration_id=origin.integration_id, integration__is_active=True)
    return list(Subscription.objects.filter(is_active=True).filter(q).order_by("pk"))


def public_note(event: CaseEvent) -> str:
    """The step's note as the resident may read it, with every run of digits masked; none for
    a step not shown to residents or whose note is a resident's own words."""
    if not event.is_public or event.kind in RESIDENT_NOTE_KINDS:
        return ""
    return mask_numbers(event.note or "")[:NOTE_MAX]


def delivery_payload(
    *, event: CaseEvent, case: Case, event_id: uuid.UUID, external_id: str = ""
) -> dict[str, Any]:
    """What the receiver gets (no personal data; labels in the site's language)."""
    with translation.override(settings.LANGUAGE_CODE):
        state_label = str(State(event.to_state).label) if event.to_state else ""
        return {
            "event_id": str(event_id),
            "type": EVENT_TYPE,
            "occurred_at": timezone.localtime(event.created_at).isoformat(),
            "kind": event.kind,
            "kind_label": str(EventKind(event.kind).label),
            "note": public_note(event),
            "case": {
                "code": case.code,
                "external_id": external_id or None,
                "state": event.to_state,
                "state_label": state_label,
                "from_state": event.from_state or None,
                "unit": {"code": case.unit.code, "name": case.unit.name},
            },
        }


def deliveries_for_event(*, case_event_id: int) -> list[Delivery]:
    """Queue one delivery per matching subscription for a committed step (called after the
    step's transaction commits). Deduplicated: a step already queued for a subscription is not
    queued again, however often this runs. Returns the deliveries it created."""
    event = (
        CaseEvent.objects.select_related("case", "case__unit", "case__grid")
        .filter(pk=case_event_id)
        .first()
    )
    if event is None or not is_hand_off_step(event):
        return []
    case = event.case
    subscriptions = subscriptions_matching(case)
    if not subscriptions:
        return []
    origin = IntegrationCase.objects.filter(case=case).only("integration_id", "external_id").first()
    created: list[Delivery] = []
    with transaction.atomic():
        for sub in subscriptions:
            event_id = uuid.uuid4()
            own = origin is not None and sub.integration_id == origin.integration_id
            payload = delivery_payload(
                event=event,
                case=case,
                event_id=event_id,
                external_id=origin.external_id if own and origin is not None else "",
            )
            delivery, made = Delivery.objects.get_or_create(
                subscription=sub,
                case_event=event,
                defaults={
                    "event_id": event_id,
                    "case_code": case.code,
                    "event_kind": event.kind,
                    "payload": payload,
                    "attempt_limit": max_attempts(),
                    "next_attempt_at": timezone.now(),
                },
            )
            if made:
                created.append(delivery)
                transaction.on_commit(partial(_enqueue, delivery.pk))
    return created


# ------------------------------------------------------------------------- the queue
def _enqueue(delivery_id: int, *, run_after: datetime | None = None) -> bool:
    """Queue a try of ``delivery_id`` (later: ``run_after``, on a backend that can defer; on one
    that cannot — the immediate backend — a later try is left to ``deliveries_retry_due``)."""
    from lianxin.webhooks.tasks import deliver_webhook

    task = deliver_webhook
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return False
        task = task.using(run_after=run_after)
    task.enqueue(delivery_id)
    return True


def _claim(delivery_id: int, now: datetime) -> Delivery | None:
    """Take the delivery for one try: due and waiting, or held by a try whose worker died.
    A conditional UPDATE, so two workers (a retry and the sweep) never both send it."""
    lock = now + timedelta(seconds=_timeout() * 3 + 60)
    due = Q(state=DeliveryState.PENDING, next_attempt_at__lte=now) | Q(
        state=DeliveryState.SENDING, locked_until__lt=now
    )
    claimed = (
        Delivery.objects.filter(pk=delivery_id)
        .filter(due)
        .update(state=DeliveryState.SENDING, locked_until=lock)
    )
    if not claimed:
        return None
    return Delivery.objects.select_related("subscription").get(pk=delivery_id)


def delivery_attempt(*, delivery_id: int) -> dict[str, Any]:
    """One try of a delivery (the task body): sign, POST with a timeout, log the attempt, then
    delivered (2xx), retry later with backoff, or failed after the last allowed try. A
    delivery not due (already sent, not yet time, taken by another worker) is left alone."""
    now = timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return {"skipped": True}
    sub = delivery.subscription
    if not sub.is_active:
        Delivery.objects.filter(pk=delivery.pk).update(
            state=DeliveryState.FAILED,
            next_attempt_at=None,
            locked_until=None,
            last_error="subscription deactivated",
        )
        return {"state": DeliveryState.FAILED, "skipped": True}
    try:
        body = signing.encode_body(delivery.payload)
        headers = signing.signed_headers(
            secret=crypto.decrypt_secret(sub.secret_encrypted),
            event_id=str(delivery.event_id),
            timestamp=int(now.timestamp()),
            body=body,
        )
        refused = addresses.url_refusal(sub.url)
        result = (
            transport.PostResult(status_code=None, error=f"refused: {refused}", duration_ms=0)
            if refused
            else transport.post(sub.url, body, headers, timeout=_timeout())
        )
    except (
        Exception
    ) as exc:  # a changed key, a bad stored URL: a logged failed try, not a stuck row
        logger.exception("webhook delivery %s could not be sent", delivery.event_id)
        result = transport.PostResult(status_code=None, error=type(exc).__name__, duration_ms=0)
    number = delivery.attempts + 1
    retry_at: datetime | None = None
    with transaction.atomic():
        DeliveryAttempt.objects.create(
            delivery=delivery,
            number=number,
            started_at=now,
            duration_ms=result.duration_ms,
            status_code=result.status_code,
            ok=result.ok,
            error=result.error,
            replay=delivery.replay_by_id is not None,
            triggered_by_id=delivery.replay_by_id,
        )
        delivery.attempts = number
        delivery.last_status_code = result.status_code
        delivery.last_error = result.error
        delivery.locked_until = None
        delivery.replay_by = None
        if result.ok:
            delivery.state, delivery.delivered_at, delivery.next_attempt_at = (
                DeliveryState.DELIVERED,
                now,
                None,
            )
        elif number >= delivery.attempt_limit:
            delivery.state, delivery.next_attempt_at = DeliveryState.FAILED, None
        else:
            retry_at = now + backoff(number)
            delivery.state, delivery.next_attempt_at = DeliveryState.PENDING, retry_at
        delivery.save()
    logger.info(
        "webhook delivery %s try %s -> %s %s",
        delivery.event_id,
        number,
        result.status_code,
        result.error,
    )
    if retry_at is not None:
        _enqueue(delivery.pk, run_after=retry_at)
    return {"state": delivery.state, "attempt": number, "status_code": result.status_code}


def deliveries_retry_due(*, now: datetime | None = None, limit: int = 500) -> int:
    """Queue the tries that are due and not yet queued (a periodic job of ``lianxin worker``;
    idempotent: ``_claim`` lets only one of two queued tries send). On a backend that defers,
    retries are queued with ``run_after`` already, so only those two minutes late (a lost task,
    a killed worker) are queued again; on one that cannot defer, every due retry."""
    now = now or timezone.now()
    from lianxin.webhooks.tasks import deliver_webhook

    grace = timedelta(minutes=2) if deliver_webhook.get_backend().supports_defer else timedelta()
    due = Q(state=DeliveryState.PENDING, next_attempt_at__lte=now - grace) | Q(
        state=DeliveryState.SENDING, locked_until__lt=now
    )
    ids = list(
        Delivery.objects.filter(due)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        _enqueue(pk)
    return len(ids)


def delivery_replay(
    *, actor: User, delivery: Delivery, request: HttpRequest | None = None
) -> Delivery:
    """重发: send a delivered or failed delivery again now, with the same event id (the receiver
    deduplicates) and a fresh round of tries; audited. Not while it is still being tried, nor
    once its subscription is deactivated."""
    if not actor.has_perm("webhooks.manage_webhook", delivery):
        raise PermissionDenied
    with transaction.atomic():
        row = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("subscription", "subscription__unit")
            .get(pk=delivery.pk)
        )
        if not row.may_replay:
            raise ValidationError(_("该推送仍在发送队列中，无需重发。"))
        if not row.subscription.is_active:
            raise ValidationError(_("订阅已停用，不能重发。"))
        row.state = DeliveryState.PENDING
        row.next_attempt_at = timezone.now()
        row.attempt_limit = row.attempts + max_attempts()
        row.replay_by = actor
        row.save(
            update_fields=["state", "next_attempt_at", "attempt_limit", "replay_by", "updated_at"]
        )
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            target=row,
            request=request,
            reason="webhook replay",
            extra={"event_id": str(row.event_id), "attempts": row.attempts},
        )
        transaction.on_commit(lambda: _enqueue(row.pk))
    return row
