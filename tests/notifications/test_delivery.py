"""Outbound delivery: preferences, SMS opt-in, quiet hours, retries with backoff, the log."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.core import mail

from lianxin.notifications.delivery import (
    deliveries_run_due,
    delivery_attempt,
    quiet_until,
    retry_delay,
)
from lianxin.notifications.models import Delivery, DeliveryAttempt, DeliveryStatus
from lianxin.notifications.services import notify
from tests.clock import SHANGHAI

pytestmark = pytest.mark.django_db


def _notify(user, kind="case_done", title="您的诉求已办结，请评价：路灯不亮"):
    return notify(recipients=[user], kind=kind, title=title, url="/cases/t/ABC/evaluate/")


def test_nothing_goes_out_without_a_choice(world, channels, django_capture_on_commit_callbacks):
    """No preference: in-app only; the phone on the account is never used (SMS is opt-in)."""
    user = world.users["resident_a"]
    user.email = "a@example.org"
    user.save()
    with django_capture_on_commit_callbacks(execute=True):
        [n] = _notify(user)
    assert n.pk and not Delivery.objects.exists() and not mail.outbox


def test_preferences_choose_kinds_per_channel(
    world, channels, fake_sms, opt_in, django_capture_on_commit_callbacks
):
    user = world.users["resident_a"]
    user.email = "a@example.org"
    user.save()
    opt_in(user, sms=["case_done"], email=["case_accept"])
    with django_capture_on_commit_callbacks(execute=True):
        _notify(user, kind="case_done")
        _notify(user, kind="case_accept", title="您的诉求已受理：路灯不亮")
        _notify(user, kind="wish_lit", title="您的心愿已点亮：收音机")  # chosen nowhere
    rows = sorted(Delivery.objects.values_list("notification__kind", "channel", "status"))
    assert rows == [("case_accept", "email", "sent"), ("case_done", "sms", "sent")]
    assert [m.subject for m in mail.outbox] == ["您的诉求已受理：路灯不亮"]
    assert len(fake_sms.requests) == 1
    # another resident, who chose nothing, is not reached
    _notify(world.users["resident_b"])
    assert Delivery.objects.filter(notification__recipient=world.users["resident_b"]).count() == 0


def test_a_kind_without_an_approved_template_never_goes_by_sms(
    world, channels, fake_sms, opt_in, django_capture_on_commit_callbacks
):
    user = world.users["resident_a"]
    opt_in(user, sms=["wish_lit"])  # no template configured for it
    with django_capture_on_commit_callbacks(execute=True):
        _notify(user, kind="wish_lit")
    assert not Delivery.objects.exists() and not fake_sms.requests


def test_sms_end_to_end_through_aliyun_with_a_retry(
    world, channels, fake_sms, opt_in, clock, django_capture_on_commit_callbacks
):
    """The first request fails (HTTP 500): the try is logged, retried after the backoff by the
    periodic job, and the second succeeds with the provider's id. The log masks the number."""
    fake_sms.fail_first = 1
    user = world.users["resident_a"]
    opt_in(user, sms=["case_done"])
    with django_capture_on_commit_callbacks(execute=True):
        [n] = _notify(user)
    d = Delivery.objects.get(notification=n, channel="sms")
    assert d.status == DeliveryStatus.RETRY and d.attempts == 1
    assert d.destination == "139****0001"
    assert d.next_attempt_at > d.updated_at
    assert deliveries_run_due(now=d.updated_at + timedelta(seconds=1))["queued"] == 0  # backoff
    clock.shift(retry_delay(1) + timedelta(seconds=1))
    from django.utils import timezone

    assert deliveries_run_due(now=timezone.now())["queued"] == 1
    d.refresh_from_db()
    assert d.status == DeliveryStatus.SENT and d.provider_message_id == "ali-2"
    tries = list(DeliveryAttempt.objects.filter(delivery=d).values_list("attempt", "ok"))
    assert tries == [(1, False), (2, True)]
    assert "500" in DeliveryAttempt.objects.get(delivery=d, attempt=1).error
    # what the SDK sent: the template, the sign, the number and the title variable
    sent = fake_sms.requests[-1]["params"]
    assert sent["TemplateCode"] == "SMS_100001" and sent["PhoneNumbers"] == "13900000001"
    assert "路灯不亮" in sent["TemplateParam"]
    # the number never appears in the log
    for row in Delivery.objects.values_list("destination", "error"):
        assert "13900000001" not in "".join(row)


def test_sms_through_tencent(world, channels, fake_sms, opt_in, django_capture_on_commit_callbacks):
    channels.LIANXIN_SMS_PROVIDER = "tencent"
    user = world.users["resident_a"]
    opt_in(user, sms=["case_done"])
    with django_capture_on_commit_callbacks(execute=True):
        [n] = _notify(user)
    d = Delivery.objects.get(notification=n)
    assert d.status == DeliveryStatus.SENT and d.provider_message_id == "tc-1"
    req = fake_sms.requests[0]
    assert req["tencent"] and req["params"]["PhoneNumberSet"] == ["+8613900000001"]
    assert req["params"]["TemplateId"] == "SMS_100001"


def test_gives_up_after_the_configured_attempts(
    world, channels, fake_sms, opt_in, clock, django_capture_on_commit_callbacks
):
    channels.LIANXIN_NOTIFICATION_MAX_ATTEMPTS = 3
    fake_sms.fail_first = 10
    user = world.users["resident_a"]
    opt_in(user, sms=["case_done"])
    with django_capture_on_commit_callbacks(execute=True):
        [n] = _notify(user)
    from django.utils import timezone

    delays = []
    for _ in range(4):
        d = Delivery.objects.get(notification=n)
        if d.next_attempt_at:
            delays.append(d.next_attempt_at - timezone.now())
            clock.move_to(d.next_attempt_at + timedelta(seconds=1))
        deliveries_run_due(now=timezone.now())
    d = Delivery.objects.get(notification=n)
    assert d.status == DeliveryStatus.FAILED and d.attempts == 3
    assert len(fake_sms.requests) == 3
    assert delays[1] > delays[0]  # exponential: 60 s, then 120 s


def test_a_second_task_run_sends_once(world, channels, fake_sms, opt_in):
    user = world.users["resident_a"]
    opt_in(user, sms=["case_done"])
    [n] = _notify(user)  # not committed: nothing queued yet
    d = Delivery.objects.get(notification=n)
    assert delivery_attempt(delivery_id=d.pk)["status"] == "sent"
    assert delivery_attempt(delivery_id=d.pk)["skipped"]
    assert len(fake_sms.requests) == 1


@pytest.mark.clock(datetime(2026, 11, 18, 23, 30, tzinfo=SHANGHAI))
def test_quiet_hours_hold_sms_and_email_until_morning(
    world, channels, fake_sms, opt_in, clock, django_capture_on_commit_callbacks
):
    """At 23:30 with quiet hours 22:00-07:00: the bell has it now, the SMS waits until 07:00."""
    user = world.users["resident_a"]
    opt_in(user, sms=["case_done"], quiet=(time(22), time(7)))
    with django_capture_on_commit_callbacks(execute=True):
        [n] = _notify(user)
    assert n.read_at is None  # in-app: at once
    d = Delivery.objects.get(notification=n)
    assert d.status == DeliveryStatus.HELD and not fake_sms.requests
    assert d.next_attempt_at == datetime(2026, 11, 19, 7, 0, tzinfo=SHANGHAI)
    from django.utils import timezone

    clock.move_to(datetime(2026, 11, 19, 6, 59, tzinfo=SHANGHAI))
    assert deliveries_run_due(now=timezone.now())["queued"] == 0
    clock.move_to(datetime(2026, 11, 19, 7, 0, 30, tzinfo=SHANGHAI))
    assert deliveries_run_due(now=timezone.now())["queued"] == 1
    d.refresh_from_db()
    assert d.status == DeliveryStatus.SENT and len(fake_sms.requests) == 1


def test_default_quiet_hours_apply_without_a_preference_row(settings):
    settings.LIANXIN_NOTIFICATION_QUIET_HOURS = "22:00-07:00"
    from lianxin.notifications.delivery import quiet_hours

    hours = quiet_hours(None)
    assert quiet_until(hours, datetime(2026, 11, 18, 6, 0, tzinfo=SHANGHAI)) == datetime(
        2026, 11, 18, 7, 0, tzinfo=SHANGHAI
    )
    assert quiet_until(hours, datetime(2026, 11, 18, 12, 0, tzinfo=SHANGHAI)) is None
    day = (time(12), time(14))
    assert quiet_until(day, datetime(2026, 11, 18, 13, 0, tzinfo=SHANGHAI)) == datetime(
        2026, 11, 18, 14, 0, tzinfo=SHANGHAI
    )
    assert quiet_until((time(8), time(8)), datetime(2026, 11, 18, 8, 0, tzinfo=SHANGHAI)) is None


@pytest.mark.clock(datetime(2026, 11, 18, 23, 30, tzinfo=SHANGHAI))
def test_withdrawn_consent_stops_a_held_sms(
    world, channels, fake_sms, opt_in, clock, django_capture_on_commit_callbacks
):
    user = world.users["resident_a"]
    opt_in(user, sms=["case_done"], quiet=(time(22), time(7)))
    with django_capture_on_commit_callbacks(execute=True):
        [n] = _notify(user)
    opt_in(user, sms=[], quiet=(time(22), time(7)))  # changed their mind overnight
    from django.utils import timezone

    clock.move_to(datetime(2026, 11, 19, 7, 1, tzinfo=SHANGHAI))
    deliveries_run_due(now=timezone.now())
    d = Delivery.objects.get(notification=n)
    assert d.status == DeliveryStatus.FAILED and "withdrawn" in d.error
    assert not fake_sms.requests


def test_a_worker_killed_mid_send_is_retried(world, channels, fake_sms, opt_in, clock):
    user = world.users["resident_a"]
    opt_in(user, sms=["case_done"])
    [n] = _notify(user)
    d = Delivery.objects.get(notification=n)
    Delivery.objects.filter(pk=d.pk).update(status=DeliveryStatus.SENDING, attempts=1)
    from django.utils import timezone

    clock.shift(timedelta(minutes=6))
    assert deliveries_run_due(now=timezone.now()) == {"queued": 1, "stale": 1}
    d.refresh_from_db()
    assert d.status == DeliveryStatus.SENT and d.attempts == 2


def test_email_records_the_address_masked(
    world, channels, opt_in, django_capture_on_commit_callbacks
):
    user = world.users["grid_a1"]
    user.email = "gridworker@example.org"
    user.save()
    opt_in(user, email=["warning"])
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipients=[user], kind="warning", title="即将超过办结时限：路灯不亮", url="/cases/1/"
        )
    d = Delivery.objects.get()
    assert d.status == DeliveryStatus.SENT and d.destination == "g***@example.org"
    assert mail.outbox[0].to == ["gridworker@example.org"]
