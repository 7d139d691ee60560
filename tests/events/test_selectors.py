"""The selectors the views call: every lookup is narrowed to the caller's scope."""

import pytest

from lianxin.brands import selectors as brands_selectors
from lianxin.events import selectors, services
from lianxin.events.models import RegistrationStatus
from lianxin.volunteers import selectors as volunteers_selectors
from lianxin.volunteers import services as volunteers_services
from lianxin.volunteers.models import SourceKind
from tests.events.factories import make_event, make_programme
from tests.volunteers.factories import make_post, make_team

pytestmark = pytest.mark.django_db


def test_admin_and_party_org_units_are_scoped(world):
    units = list(volunteers_selectors.admin_units(user=world.users["town_b"]))
    assert world.town_b in units and world.village_b in units
    assert world.town_a not in units and world.village_a not in units
    assert world.grid_b1 not in units  # grids hold no events
    assert list(brands_selectors.party_org_units(user=world.users["town_b"])) == [world.party_org_b]


def test_event_links_are_scoped(world):
    make_programme(world)
    make_team(world)
    make_post(world)
    programmes, teams, posts = selectors.event_links(user=world.users["town_b"])
    assert programmes == teams == posts == []
    programmes, teams, posts = selectors.event_links(user=world.users["town_a"])
    assert len(programmes) == len(teams) == len(posts) == 1


def test_my_events_status_and_feed_unit(world):
    full = make_event(world, capacity=1, title="满员的讲座")
    services.registration_create(actor=world.users["party_a"], event=full)
    services.registration_create(actor=world.users["resident_a"], event=full)
    assert selectors.my_events(user=world.users["resident_a"]).count() == 1
    assert (
        selectors.my_events(
            user=world.users["resident_a"], status=RegistrationStatus.CONFIRMED
        ).count()
        == 0
    )
    assert selectors.feed_unit(code=world.village_a.code) == world.village_a
    assert selectors.feed_unit(code=world.grid_a1.code) is None


def test_points_unit_rules_and_own_totals(world):
    assert volunteers_selectors.points_unit(user=world.users["town_a"]) == world.town_a
    assert volunteers_selectors.points_unit(user=world.users["resident_a"]) is None
    volunteers_services.point_rule_set(
        actor=world.users["town_a"], unit=world.town_a, source_kind=SourceKind.ATTENDANCE, points=7
    )
    effective = dict(volunteers_selectors.point_rules_effective(unit=world.village_a))
    assert effective[SourceKind.ATTENDANCE.label] == 7
    assert len(volunteers_selectors.point_rule_list(user=world.users["town_a"])) == 1
    assert len(volunteers_selectors.point_rule_list(user=world.users["town_b"])) == 0
    assert volunteers_selectors.my_point_totals(user=world.users["resident_a"]) == {
        "p": None,
        "h": None,
    }
