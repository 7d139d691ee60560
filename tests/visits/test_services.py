"""visit_log / visit_raise_case / visit_raise_wish: who may, idempotency, credit, links."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from lianxin.audit.models import AuditEvent
from lianxin.cases.models import Channel
from lianxin.visits.models import Visit, VisitKind
from lianxin.visits.services import visit_log, visit_raise_case, visit_raise_wish
from lianxin.volunteers.models import ServiceRecord, SourceKind
from lianxin.wishes.models import WishCategory
from tests.cases.factories import category

pytestmark = pytest.mark.django_db


def test_grid_worker_logs_a_visit_audited_and_credited_once(world):
    gw = world.users["grid_a1"]
    visit, created = visit_log(
        actor=gw,
        household=world.households["a"],
        kind=VisitKind.CARE,
        met="户主",
        notes="身体尚好",
        needs=["医疗", " 医疗 ", "换灯泡"],
        form_token="tok-1",
    )
    assert created and visit.grid == world.grid_a1
    assert visit.needs == ["医疗", "换灯泡"]
    assert (visit.lat, visit.lng) == (34.715, 104.885)  # the household's point by default
    again, created_again = visit_log(actor=gw, household=world.households["a"], form_token="tok-1")
    assert again.pk == visit.pk and not created_again
    assert Visit.objects.count() == 1
    records = ServiceRecord.objects.filter(source_kind=SourceKind.VISIT, source_id=visit.pk)
    assert records.count() == 1 and records.get().user == gw
    assert AuditEvent.objects.filter(target_type="visits.visit", action="create").count() == 1


@pytest.mark.parametrize(
    "who", ["grid_b1", "village_b", "town_b", "dept", "supervisor", "resident_a"]
)
def test_others_are_refused(world, who):
    with pytest.raises(PermissionDenied):
        visit_log(actor=world.users[who], household=world.households["a"])
    assert not Visit.objects.exists()


@pytest.mark.parametrize("who", ["grid_a1", "village_a", "town_a", "county_admin"])
def test_grid_worker_and_staff_above_may(world, who):
    visit, _ = visit_log(actor=world.users[who], household=world.households["a"])
    assert visit.visitor == world.users[who]


def test_sibling_grid_worker_refused(world):
    from lianxin.org.models import Role
    from tests.conftest import make_user

    sibling = make_user("grid_a2", unit=world.grid_a2, role=Role.GRID_WORKER)
    with pytest.raises(PermissionDenied):
        visit_log(actor=sibling, household=world.households["a"])


def test_raise_case_prefilled_and_linked_both_ways(world):
    gw = world.users["grid_a1"]
    visit, _ = visit_log(actor=gw, household=world.households["a"], notes="路灯坏了")
    case = visit_raise_case(actor=gw, visit=visit, category=category(), title="路灯不亮")
    visit.refresh_from_db()
    assert visit.case == case and list(case.visits.all()) == [visit]
    assert case.channel == Channel.GRID
    assert case.grid == world.grid_a1 and case.address == "东关社区3组12号"
    assert case.reporter_name == "甲金丝雀" and case.description == "路灯坏了"
    assert case.lat == pytest.approx(34.715)
    # once per visit
    assert visit_raise_case(actor=gw, visit=visit, category=category(), title="x").pk == case.pk


def test_raise_case_refused_to_sibling(world):
    visit, _ = visit_log(actor=world.users["grid_a1"], household=world.households["a"])
    with pytest.raises(PermissionDenied):
        visit_raise_case(actor=world.users["grid_b1"], visit=visit, category=category(), title="x")


def test_raise_wish_linked_both_ways(world):
    gw = world.users["grid_a1"]
    visit, _ = visit_log(actor=gw, household=world.households["a"])
    wish = visit_raise_wish(
        actor=gw, visit=visit, title="想要一台收音机", category=WishCategory.DAILY
    )
    visit.refresh_from_db()
    assert visit.wish == wish and list(wish.visits.all()) == [visit]
    assert wish.on_behalf and wish.beneficiary == world.persons["a"]
    again = visit_raise_wish(actor=gw, visit=visit, title="另一个", category=WishCategory.DAILY)
    assert again.pk == wish.pk
