"""The hot spots dashboards and the home page show: minutes old, per user and unit, read back
through ``visible_to`` so a request the user may no longer see drops out."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lianxin.cases.models import Case
from lianxin.triage import hotspots
from tests.triage.test_hotspots import _lights

pytestmark = pytest.mark.django_db


def test_a_second_view_within_the_ttl_does_not_group_again(world, settings, monkeypatch):
    settings.LIANXIN_TRIAGE_HOTSPOT_CACHE_SECONDS = 300
    made = _lights(world)
    user = world.users["town_a"]
    first, at = hotspots.hot_spots_recent(user=user, under=world.town_a)
    assert [s.count for s in first] == [3] and at is not None
    calls = []
    monkeypatch.setattr(hotspots, "hot_spots", lambda **kw: calls.append(kw) or [])
    again, at_again = hotspots.hot_spots_recent(user=user, under=world.town_a)
    assert not calls and at_again == at
    assert [set(s.cases) for s in again] == [set(made)]
    assert again[0].grid == world.grid_a1
    # another unit (or user) is its own entry
    hotspots.hot_spots_recent(user=user, under=world.village_a)
    assert len(calls) == 1


def test_a_request_no_longer_visible_drops_out(world, settings):
    settings.LIANXIN_TRIAGE_HOTSPOT_CACHE_SECONDS = 300
    made = _lights(world)
    user = world.users["town_a"]
    hotspots.hot_spots_recent(user=user)
    Case.objects.filter(pk=made[0].pk).update(
        grid=world.grid_b1, village=world.village_b, town=world.town_b, unit=world.grid_b1
    )
    spots, _at = hotspots.hot_spots_recent(user=user)
    assert made[0] not in spots[0].cases and len(spots[0].cases) == 2


def test_ttl_zero_reads_live(world, settings, monkeypatch):
    settings.LIANXIN_TRIAGE_HOTSPOT_CACHE_SECONDS = 0
    calls = []
    monkeypatch.setattr(hotspots, "hot_spots", lambda **kw: calls.append(kw) or [])
    hotspots.hot_spots_recent(user=world.users["town_a"])
    hotspots.hot_spots_recent(user=world.users["town_a"])
    assert len(calls) == 2


def test_the_dashboard_says_as_of_when(client, world, login, settings):
    settings.LIANXIN_TRIAGE_HOTSPOT_CACHE_SECONDS = 300
    _lights(world)
    login(world.users["town_a"])
    page = client.get(reverse("dashboards:unit", kwargs={"pk": world.town_a.pk})).content.decode()
    assert "每 5 分钟更新" in page and world.grid_a1.name in page
