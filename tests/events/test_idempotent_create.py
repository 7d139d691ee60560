"""The same event form posted twice (or eight times at once) publishes one event."""

from __future__ import annotations

import re
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lianxin.events.models import Event


def _event_data(world, token: str) -> dict:
    start = timezone.localtime() + timedelta(days=3)
    return {
        "unit": world.village_a.pk,
        "kind": "culture",
        "title": "东关社区村晚",
        "place": "东关社区广场",
        "starts_at": start.strftime("%Y-%m-%dT19:00"),
        "ends_at": start.strftime("%Y-%m-%dT21:00"),
        "capacity": "30",
        "audience": "all",
        "hours": "0",
        "form_token": token,
    }


def _token(client) -> str:
    page = client.get(reverse("events:event_new")).content.decode()
    match = re.search(r'name="form_token" value="([^"]+)"', page)
    assert match, "the event form carries a one-submission token"
    return match.group(1)


def test_event_posted_twice_is_one_event(world, client, login):
    login(world.users["village_a"])
    data = _event_data(world, _token(client))
    first = client.post(reverse("events:event_new"), data)
    second = client.post(reverse("events:event_new"), data)
    event = Event.objects.get(title="东关社区村晚")
    assert first.status_code == second.status_code == 302
    assert (
        first["Location"] == second["Location"] == reverse("events:event_detail", args=[event.pk])
    )


def test_two_forms_are_two_events(world, client, login):
    login(world.users["village_a"])
    client.post(reverse("events:event_new"), _event_data(world, _token(client)))
    client.post(reverse("events:event_new"), _event_data(world, _token(client)))
    assert Event.objects.filter(title="东关社区村晚").count() == 2


@pytest.mark.parametrize("token", ["t" * 65, "t" * 10_000, "令牌", "a;b"])
def test_a_token_longer_than_its_column_or_malformed_is_refused_cleanly(
    world, client, login, token
):
    login(world.users["village_a"])
    response = client.post(reverse("events:event_new"), _event_data(world, token))
    assert response.status_code == 200
    assert "表单已失效，请刷新页面后重新填写提交。" in response.content.decode()
    assert not Event.objects.filter(title="东关社区村晚").exists()


def test_capacity_beyond_its_column_is_a_field_error(world, client, login):
    login(world.users["village_a"])
    data = {**_event_data(world, "cap-token"), "capacity": "1" + "0" * 23}
    response = client.post(reverse("events:event_new"), data)
    assert response.status_code == 200
    assert "请输入不大于 2147483647 的数。" in response.content.decode()
    assert not Event.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_identical_event_posts_at_once_make_one_event(world):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency only meaningful on PostgreSQL")
    from lianxin.accounts.models import User

    data = _event_data(world, "same-event-token")
    barrier = threading.Barrier(8)
    statuses: list[int] = []

    def post():
        try:
            c = Client()
            c.force_login(
                User.objects.get(username="village_a"),
                backend="lianxin.accounts.backends.PhoneOrUsernameBackend",
            )
            barrier.wait()
            statuses.append(c.post(reverse("events:event_new"), data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [302] * 8
    assert Event.objects.filter(title="东关社区村晚").count() == 1
