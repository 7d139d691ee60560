"""The county administrator's screens: register (the secret shown once), list, deactivate, the
delivery log with its state filter and attempts, replay; a town sees only its own log."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lianxin.webhooks.models import Delivery, DeliveryState, Subscription
from tests.cases.factories import make_case
from tests.webhooks.factories import make_subscription

pytestmark = pytest.mark.django_db


def test_register_shows_the_secret_once(world, client, login, receiver):
    login(world.users["county_admin"])
    url = reverse("webhooks:subscription_create")
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"name": "市12345平台", "url": receiver.url, "unit": world.town_a.pk}
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    sub = Subscription.objects.get()
    page = response.content.decode()
    secret = page.split('data-testid="webhook-secret">')[1].split("<")[0]
    assert secret.startswith("whsec_")
    detail = client.get(reverse("webhooks:subscription_detail", args=[sub.pk])).content.decode()
    listing = client.get(reverse("webhooks:subscription_list")).content.decode()
    assert "市12345平台" in listing and "市12345平台" in detail
    assert secret not in detail and secret not in listing


def test_register_refuses_bad_input(world, client, login):
    login(world.users["county_admin"])
    url = reverse("webhooks:subscription_create")
    for data in (
        {"name": "x", "url": "http://example.org/hook", "unit": world.town_a.pk},
        {"name": "x", "url": "https://example.org/hook"},  # neither integration nor unit
        {"name": "", "url": "https://example.org/hook", "unit": world.town_a.pk},
    ):
        assert client.post(url, data).status_code == 422
    assert not Subscription.objects.exists()


def test_a_town_admin_reads_but_cannot_register(world, client, login):
    login(world.users["town_a"])
    assert client.get(reverse("webhooks:subscription_list")).status_code == 200
    assert client.get(reverse("webhooks:subscription_create")).status_code == 403
    login(world.users["village_a"])
    assert client.get(reverse("webhooks:subscription_list")).status_code == 403


def test_deactivate_from_the_screen(world, client, login):
    sub, _secret = make_subscription(world, "https://h.example/")
    login(world.users["county_admin"])
    response = client.post(reverse("webhooks:subscription_deactivate", args=[sub.pk]))
    assert response.status_code == 302
    sub.refresh_from_db()
    assert not sub.is_active
    login(world.users["town_a"])
    other, _secret = make_subscription(world, "https://h.example/", name="另一个")
    response = client.post(reverse("webhooks:subscription_deactivate", args=[other.pk]))
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.is_active


def _deliveries(
    world, receiver, django_capture_on_commit_callbacks, *, n=1, grid=None, name="甲推送"
):
    sub, _secret = make_subscription(
        world, receiver.url, unit=grid.parent.parent if grid else world.town_a, name=name
    )
    for _ in range(n):
        with django_capture_on_commit_callbacks(execute=True):
            make_case(world, grid=grid or world.grid_a1)
    return sub


def test_delivery_log_filters_paginates_and_shows_attempts(
    world, client, login, receiver, django_capture_on_commit_callbacks, settings
):
    settings.LIANXIN_PAGE_SIZE = 2
    receiver.responses = [500]  # the first request's submission fails once
    _deliveries(world, receiver, django_capture_on_commit_callbacks, n=3)
    login(world.users["town_a"])
    url = reverse("webhooks:delivery_list")
    page1 = client.get(url).content.decode()
    assert page1.count('data-testid="delivery-row"') == 2
    page2 = client.get(url + "?page=2").content.decode()
    assert page2.count('data-testid="delivery-row"') == 1
    pending = client.get(url + "?state=pending").content.decode()
    assert pending.count('data-testid="delivery-row"') == 1
    delivered = client.get(url + "?state=delivered&page=1").content.decode()
    assert delivered.count('data-testid="delivery-row"') == 2
    assert client.get(url + "?state=bogus&subscription=x").status_code == 200
    failed_once = Delivery.objects.get(state=DeliveryState.PENDING)
    detail = client.get(reverse("webhooks:delivery_detail", args=[failed_once.pk])).content.decode()
    assert detail.count('data-testid="attempt-row"') == 1 and "500" in detail
    assert str(failed_once.event_id) in detail
    assert 'data-testid="delivery-replay"' not in detail  # a town reads, the county replays


def test_replay_from_the_screen(world, client, login, receiver, django_capture_on_commit_callbacks):
    _deliveries(world, receiver, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    login(world.users["county_admin"])
    detail_url = reverse("webhooks:delivery_detail", args=[delivery.pk])
    assert 'data-testid="delivery-replay"' in client.get(detail_url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("webhooks:delivery_replay", args=[delivery.pk]))
    assert response.status_code == 302
    page = client.get(detail_url).content.decode()
    assert page.count('data-testid="attempt-row"') == 2 and "手动重发" in page
    assert [r.headers["X-Lianxin-Event-Id"] for r in receiver.received] == [
        str(delivery.event_id)
    ] * 2


def test_a_town_admin_cannot_see_another_towns_log(
    world, client, login, receiver, django_capture_on_commit_callbacks
):
    a = _deliveries(world, receiver, django_capture_on_commit_callbacks, name="甲镇推送")
    b = _deliveries(
        world, receiver, django_capture_on_commit_callbacks, grid=world.grid_b1, name="乙镇推送"
    )
    assert b.unit == world.town_b
    delivery_a = Delivery.objects.get(subscription=a)
    login(world.users["town_b"])
    listing = client.get(reverse("webhooks:delivery_list")).content.decode()
    assert "乙镇推送" in listing and "甲镇推送" not in listing
    subs = client.get(reverse("webhooks:subscription_list")).content.decode()
    assert "乙镇推送" in subs and "甲镇推送" not in subs
    assert client.get(reverse("webhooks:delivery_detail", args=[delivery_a.pk])).status_code == 404
    assert client.get(reverse("webhooks:subscription_detail", args=[a.pk])).status_code == 404
    filtered = client.get(reverse("webhooks:delivery_list") + f"?subscription={a.pk}")
    assert "甲镇推送" not in filtered.content.decode()
    login(world.users["county_admin"])
    listing = client.get(reverse("webhooks:delivery_list")).content.decode()
    assert "乙镇推送" in listing and "甲镇推送" in listing
