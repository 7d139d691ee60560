"""The production path: the database task queue and ``db_worker``. The step's commit only
queues; the worker tries, a failed try queues its retry with ``run_after`` (not run before its
time), and the worker delivers it once due. List pages cost the same queries for 3 rows or 12."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lianxin.webhooks.models import Delivery, DeliveryState
from tests.cases.factories import make_case
from tests.clock import PINNED_AT
from tests.webhooks.factories import make_subscription


def _work():
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)


@pytest.mark.clock(PINNED_AT, tick=False)
@pytest.mark.django_db(transaction=True)
def test_the_database_queue_retries_at_run_after(settings, receiver, clock):
    from tests.conftest import build_world

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    world = build_world()
    receiver.responses = [500]
    sub, _secret = make_subscription(world, receiver.url)
    make_case(world)  # commits: the delivery is queued, nothing sent yet
    delivery = Delivery.objects.get(subscription=sub)
    assert delivery.state == DeliveryState.PENDING and delivery.attempts == 0
    assert not receiver.received
    _work()
    delivery.refresh_from_db()
    assert delivery.attempts == 1 and delivery.last_status_code == 500
    assert delivery.next_attempt_at == PINNED_AT + timedelta(seconds=30)
    _work()  # the retry is queued for later: not run now
    assert len(receiver.received) == 1
    clock.shift(timedelta(seconds=30))
    _work()
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.DELIVERED and delivery.attempts == 2
    assert len(receiver.received) == 2
    _work()
    assert len(receiver.received) == 2  # nothing sent twice


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_list_pages_cost_a_fixed_number_of_queries(
    world, client, login, receiver, django_capture_on_commit_callbacks
):
    login(world.users["county_admin"])
    urls = [reverse("webhooks:delivery_list"), reverse("webhooks:subscription_list")]

    def grow(n):
        for i in range(n):
            make_subscription(world, receiver.url, name=f"推送{i}")
        for _ in range(n):
            with django_capture_on_commit_callbacks(execute=True):
                make_case(world)

    grow(1)
    [_queries(client, u) for u in urls]  # warm: per-process caches (nav, content types)
    small = [_queries(client, u) for u in urls]
    grow(3)
    assert Delivery.objects.count() >= 12
    assert [_queries(client, u) for u in urls] == small
