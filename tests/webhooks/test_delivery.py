"""Deliveries: one per step and subscription, signed, retried with backoff against a local
receiver that fails the first tries, failed after the last, replayed with the same event id."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lianxin.audit.models import AuditEvent
from lianxin.cases import services as case_services
from lianxin.cases.models import CaseEvent, EventKind
from lianxin.webhooks import services
from lianxin.webhooks.models import Delivery, DeliveryAttempt, DeliveryState
from tests.cases.factories import make_case
from tests.clock import PINNED_AT
from tests.webhooks.factories import make_subscription

pytestmark = [pytest.mark.django_db, pytest.mark.clock(PINNED_AT, tick=False)]


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run the block's on-commit callbacks (and theirs) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _step(world, commit, **kw):
    with commit():
        return make_case(world, **kw)


def test_a_step_is_delivered_once_signed_with_the_event_id(world, receiver, commit):
    sub, secret = make_subscription(world, receiver.url)
    case = _step(world, commit)
    delivery = Delivery.objects.get(subscription=sub)
    assert delivery.state == DeliveryState.DELIVERED and delivery.attempts == 1
    assert len(receiver.received) == 1
    got = receiver.received[0]
    assert got.headers["X-Lianxin-Event-Id"] == str(delivery.event_id)
    # The receiver's own check: HMAC-SHA256(secret, "<timestamp>.<body>") in hex.
    ts = got.headers["X-Lianxin-Timestamp"]
    expected = hmac.new(secret.encode(), ts.encode() + b"." + got.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(got.headers["X-Lianxin-Signature"], expected)
    assert int(ts) == int(PINNED_AT.timestamp())
    body = json.loads(got.body)
    assert body["event_id"] == str(delivery.event_id)
    assert body["case"]["code"] == case.code
    assert body["kind"] == EventKind.SUBMIT and body["case"]["state"] == case.state
    attempt = DeliveryAttempt.objects.get(delivery=delivery)
    assert (attempt.number, attempt.status_code, attempt.ok) == (1, 200, True)


def test_the_same_step_is_never_queued_twice(world, receiver, commit):
    sub, _secret = make_subscription(world, receiver.url)
    _step(world, commit)
    event = CaseEvent.objects.get(kind=EventKind.SUBMIT)
    with commit():
        again = services.deliveries_for_event(case_event_id=event.pk)
        services.deliveries_for_event(case_event_id=event.pk)
    assert again == []
    assert Delivery.objects.filter(subscription=sub, case_event=event).count() == 1
    assert len(receiver.received) == 1


def test_an_internal_note_is_not_pushed(world, receiver, commit):
    make_subscription(world, receiver.url)
    case = _step(world, commit)
    with commit():
        case_services.case_note(case=case, actor=world.users["grid_a1"], note="内部记录")
    assert Delivery.objects.count() == 1  # the submission only
    assert len(receiver.received) == 1


def test_each_state_change_is_pushed(world, receiver, commit):
    make_subscription(world, receiver.url)
    case = _step(world, commit)
    with commit():
        case = case_services.case_accept(case=case, actor=world.users["grid_a1"])
    with commit():
        case_services.case_resolve(case=case, actor=world.users["grid_a1"], resolution="已修好")
    kinds = [json.loads(r.body)["kind"] for r in receiver.received]
    assert kinds == [EventKind.SUBMIT, EventKind.ACCEPT, EventKind.RESOLVE]
    resolved = json.loads(receiver.received[-1].body)
    assert resolved["case"]["state"] == "resolved"
    assert resolved["case"]["state_label"] == "已办结待评价"
    assert resolved["note"] == "已修好"
    assert len({r.headers["X-Lianxin-Event-Id"] for r in receiver.received}) == 3


def test_retry_with_exponential_backoff_until_the_receiver_answers(world, receiver, commit, clock):
    receiver.responses = [500, 503]
    sub, _secret = make_subscription(world, receiver.url)
    _step(world, commit)  # try 1 runs inline and gets a 500
    delivery = Delivery.objects.get(subscription=sub)
    assert delivery.state == DeliveryState.PENDING and delivery.attempts == 1
    assert delivery.next_attempt_at == PINNED_AT + timedelta(seconds=30)

    clock.shift(timedelta(seconds=29))
    assert services.deliveries_retry_due() == 0  # not due yet
    clock.shift(timedelta(seconds=1))
    assert services.deliveries_retry_due() == 1  # try 2: a 503
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.state == DeliveryState.PENDING
    assert delivery.next_attempt_at == PINNED_AT + timedelta(seconds=30 + 60)

    clock.shift(timedelta(seconds=59))
    assert services.deliveries_retry_due() == 0
    clock.shift(timedelta(seconds=1))
    services.deliveries_retry_due()  # try 3: 200
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED and delivery.attempts == 3
    assert delivery.delivered_at == PINNED_AT + timedelta(seconds=90)

    attempts = list(delivery.attempt_rows.order_by("number"))
    assert [a.status_code for a in attempts] == [500, 503, 200]
    assert [a.started_at - PINNED_AT for a in attempts] == [
        timedelta(0),
        timedelta(seconds=30),
        timedelta(seconds=90),
    ]
    # Every try carries the same event id and body, each with its own timestamp and signature.
    assert len({r.headers["X-Lianxin-Event-Id"] for r in receiver.received}) == 1
    assert len({r.body for r in receiver.received}) == 1
    stamps = [int(r.headers["X-Lianxin-Timestamp"]) for r in receiver.received]
    assert [s - stamps[0] for s in stamps] == [0, 30, 90]
    assert services.deliveries_retry_due() == 0  # nothing left


def test_a_deferring_backend_gets_the_retry_with_run_after(world, receiver, commit, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from lianxin.webhooks.tasks import deliver_webhook

    backend = deliver_webhook.get_backend()
    backend.clear()
    receiver.responses = [500]
    sub, _secret = make_subscription(world, receiver.url)
    _step(world, commit)
    delivery = Delivery.objects.get(subscription=sub)
    assert [r.task.run_after for r in backend.results] == [None]  # queued, not run
    services.delivery_attempt(delivery_id=delivery.pk)  # the worker's run: a 500
    assert [r.task.run_after for r in backend.results] == [
        None,
        PINNED_AT + timedelta(seconds=30),
    ]
    # The sweep leaves a retry already queued alone until it is two minutes late.
    assert services.deliveries_retry_due(now=PINNED_AT + timedelta(seconds=60)) == 0
    assert services.deliveries_retry_due(now=PINNED_AT + timedelta(seconds=151)) == 1


def test_final_failed_state_after_the_last_try(world, receiver, commit, clock, settings):
    settings.LIANXIN_WEBHOOK_MAX_ATTEMPTS = 3
    receiver.responses = [500] * 10
    sub, _secret = make_subscription(world, receiver.url)
    _step(world, commit)
    for wait in (30, 60):
        clock.shift(timedelta(seconds=wait))
        services.deliveries_retry_due()
    delivery = Delivery.objects.get(subscription=sub)
    assert delivery.state == DeliveryState.FAILED and delivery.attempts == 3
    assert delivery.next_attempt_at is None and delivery.last_status_code == 500
    clock.shift(timedelta(hours=5))
    assert services.deliveries_retry_due() == 0
    assert len(receiver.received) == 3


def test_a_slow_receiver_times_out(world, receiver, commit, settings):
    settings.LIANXIN_WEBHOOK_TIMEOUT_SECONDS = 0.3
    receiver.delay = 1.0
    sub, _secret = make_subscription(world, receiver.url)
    _step(world, commit)
    attempt = DeliveryAttempt.objects.get(delivery__subscription=sub)
    assert attempt.status_code is None and attempt.error == "timeout" and not attempt.ok
    assert Delivery.objects.get(subscription=sub).state == DeliveryState.PENDING


def test_a_redirect_is_not_followed(world, receiver, commit):
    receiver.responses = [302]
    sub, _secret = make_subscription(world, receiver.url)
    _step(world, commit)
    assert len(receiver.received) == 1  # the Location was not visited
    attempt = DeliveryAttempt.objects.get(delivery__subscription=sub)
    assert attempt.status_code == 302 and not attempt.ok


def test_a_refused_connection_is_logged(world, commit):
    sub, _secret = make_subscription(world, "http://127.0.0.1:9/hook")
    _step(world, commit)
    attempt = DeliveryAttempt.objects.get(delivery__subscription=sub)
    assert attempt.status_code is None and attempt.error


def test_replay_sends_the_same_event_again(world, receiver, commit):
    sub, _secret = make_subscription(world, receiver.url)
    _step(world, commit)
    delivery = Delivery.objects.get(subscription=sub)
    admin = world.users["county_admin"]
    with commit():
        services.delivery_replay(actor=admin, delivery=delivery)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED and delivery.attempts == 2
    ids = [r.headers["X-Lianxin-Event-Id"] for r in receiver.received]
    assert ids == [str(delivery.event_id)] * 2
    second = delivery.attempt_rows.get(number=2)
    assert second.replay and second.triggered_by == admin
    assert not delivery.attempt_rows.get(number=1).replay
    assert AuditEvent.objects.filter(
        reason="webhook replay", target_id=str(delivery.pk), actor=admin
    ).exists()


def test_replay_of_a_failed_delivery_gets_a_new_round(world, receiver, commit, settings):
    settings.LIANXIN_WEBHOOK_MAX_ATTEMPTS = 1
    receiver.responses = [500]
    sub, _secret = make_subscription(world, receiver.url)
    _step(world, commit)
    delivery = Delivery.objects.get(subscription=sub)
    assert delivery.state == DeliveryState.FAILED
    with commit():
        services.delivery_replay(actor=world.users["county_admin"], delivery=delivery)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED and delivery.attempts == 2


def test_replay_refused_while_queued_or_out_of_role(world, receiver, commit):
    receiver.responses = [500]
    sub, _secret = make_subscription(world, receiver.url)
    _step(world, commit)
    delivery = Delivery.objects.get(subscription=sub)
    with pytest.raises(ValidationError):
        services.delivery_replay(actor=world.users["county_admin"], delivery=delivery)
    delivery.state = DeliveryState.FAILED
    delivery.save()
    with pytest.raises(PermissionDenied):
        services.delivery_replay(actor=world.users["town_a"], delivery=delivery)


def test_a_unit_subscription_hears_only_its_subtree(world, receiver, commit):
    sub, _secret = make_subscription(world, receiver.url, unit=world.town_a)
    _step(world, commit, grid=world.grid_b1, reporter="resident_b")
    assert not Delivery.objects.exists() and not receiver.received
    _step(world, commit, grid=world.grid_a2)
    assert Delivery.objects.filter(subscription=sub).count() == 1
    county, _secret = make_subscription(world, receiver.url, unit=world.county, name="县平台")
    _step(world, commit, grid=world.grid_b1, reporter="resident_b")
    assert Delivery.objects.filter(subscription=county).count() == 1


def test_a_deactivated_subscription_gets_nothing_and_its_waiting_deliveries_fail(
    world, receiver, commit
):
    receiver.responses = [500]
    sub, _secret = make_subscription(world, receiver.url)
    _step(world, commit)
    services.subscription_deactivate(actor=world.users["county_admin"], subscription=sub)
    delivery = Delivery.objects.get(subscription=sub)
    assert delivery.state == DeliveryState.FAILED and delivery.next_attempt_at is None
    _step(world, commit)
    assert Delivery.objects.filter(subscription=sub).count() == 1
    with pytest.raises(ValidationError):
        services.delivery_replay(actor=world.users["county_admin"], delivery=delivery)


def test_a_rolled_back_step_is_not_pushed(world, receiver, django_capture_on_commit_callbacks):
    from django.db import transaction

    make_subscription(world, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                make_case(world)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert not Delivery.objects.exists() and not receiver.received


def test_a_secret_that_cannot_be_read_is_a_failed_try_not_a_stuck_row(
    world, receiver, commit, settings
):
    sub, _secret = make_subscription(world, receiver.url)
    settings.LIANXIN_WEBHOOK_KEY = "A" * 43 + "="  # the key was changed under the stored secret
    _step(world, commit)
    delivery = Delivery.objects.get(subscription=sub)
    assert delivery.state == DeliveryState.PENDING and delivery.attempts == 1
    assert delivery.last_error == "InvalidToken" and not receiver.received


def test_a_try_whose_worker_died_is_taken_back(world, receiver, commit, clock):
    receiver.responses = [500]
    sub, _secret = make_subscription(world, receiver.url)
    _step(world, commit)
    delivery = Delivery.objects.get(subscription=sub)
    # A worker claimed the retry and was killed before logging it: the row says 发送中.
    Delivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.SENDING, locked_until=PINNED_AT + timedelta(minutes=2)
    )
    clock.shift(timedelta(minutes=1))
    assert services.deliveries_retry_due() == 0  # still held
    clock.shift(timedelta(minutes=2))
    assert services.deliveries_retry_due() == 1
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED and delivery.attempts == 2
