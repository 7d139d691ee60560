from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lianxin.events import selectors, services
from lianxin.events.models import EventKind
from lianxin.org.models import Role
from lianxin.volunteers import selectors as volunteers_selectors
from lianxin.volunteers import services as volunteers_services
from lianxin.volunteers.models import RecordStatus, ServiceRecord
from tests.clock import PINNED_AT
from tests.conftest import make_user
from tests.events.factories import make_event, make_programme
from tests.volunteers.factories import make_post, make_team
from tests.wishes.factories import make_wish

pytestmark = pytest.mark.django_db


def _audited(target, reason: str) -> bool:
    from lianxin.audit.models import AuditEvent

    return AuditEvent.objects.filter(
        target_type=target._meta.label_lower, target_id=str(target.pk), reason=reason
    ).exists()


@pytest.mark.clock(PINNED_AT)  # the event five minutes ahead falls in this month
def test_monthly_ranking_per_unit_adds_up(world):
    make_wish(world, "confirmed", title="心愿一")
    make_wish(world, "confirmed", title="心愿二")
    make_wish(
        world,
        "confirmed",
        unit=world.grid_b1,
        clerk=world.users["village_b"],
        claimant=world.users["party_b"],
        title="心愿三",
    )
    event = make_event(world, starts_in=timedelta(minutes=5), hours=3)
    services.checkin(actor=world.users["party_a"], event=event)
    data = volunteers_selectors.ranking(user=world.users["town_a"])
    assert [(r["user_id"], r["points"]) for r in data["rows"]] == [
        (world.users["party_a"].pk, 10)
    ]  # pending attendance not yet counted
    services.service_records_confirm(actor=world.users["village_a"], event=event)
    row = volunteers_selectors.ranking(user=world.users["town_a"])["rows"][0]
    assert row["points"] == 12 and float(row["hours"]) == 5.0 and row["n"] == 3
    assert len(volunteers_selectors.ranking(user=world.users["county_admin"])["rows"]) == 2
    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    assert volunteers_selectors.ranking(user=world.users["town_a"], month=last_month)["rows"] == []
    rec = volunteers_selectors.person_record(person=world.users["party_a"])
    assert rec["points"] == 12 and rec["n"] == 3


def test_training_coverage_per_unit_and_missing(world):
    prog = make_programme(world)
    extra = make_user("13500000001", unit=world.village_a, role=Role.PARTY_MEMBER, name="丙党员")
    event = make_event(
        world,
        kind=EventKind.TRAINING,
        programme=prog,
        starts_in=timedelta(minutes=5),
        actor=world.users["town_a"],
    )
    cov = selectors.programme_coverage(programme=prog)
    assert (
        cov["required"] == 2 and cov["attended"] == 0
    )  # party_a and 丙党员 in town A; party_b is in town B
    services.checkin(actor=world.users["party_a"], event=event)
    cov = selectors.programme_coverage(programme=prog)
    assert cov["attended"] == 1 and cov["rate"] == 0.5
    assert [u for u, _unit in cov["missing"]] == [extra]
    assert cov["per_unit"][0]["unit"] == world.village_a and cov["per_unit"][0]["required"] == 2


def test_programme_with_listed_people(world):
    prog = services.programme_create(
        actor=world.users["town_a"],
        unit=world.town_a,
        title="网格员培训",
        year=2026,
        required_users=[world.users["grid_a1"]],
    )
    cov = selectors.programme_coverage(programme=prog)
    assert cov["required"] == 1 and cov["per_unit"][0]["unit"] == world.grid_a1
    with pytest.raises(ValidationError):
        services.programme_create(
            actor=world.users["town_a"], unit=world.town_a, title="空", year=2026
        )


def test_team_rollup_counts_events_wishes_and_hours(world):
    from lianxin.wishes import services as wish_services
    from lianxin.wishes.models import ClaimantKind
    from tests.wishes.factories import jpeg_upload

    team = make_team(world)
    assert team.members.filter(user=world.users["party_a"]).exists()
    with pytest.raises(ValidationError):
        make_team(world)
    wish = make_wish(world, "published")
    wish = wish_services.wish_claim(
        actor=world.users["party_a"], wish=wish, kind=ClaimantKind.TEAM, team=team
    )
    wish = wish_services.wish_light(actor=world.users["party_a"], wish=wish, photo=jpeg_upload())
    wish_services.wish_confirm(actor=world.users["village_a"], wish=wish)
    make_event(world, team=team, kind=EventKind.VOLUNTEER)
    roll = volunteers_selectors.team_rollup(team=team)
    assert roll["n_events"] == 1 and roll["n_lit"] == 1 and roll["points"] == 5
    with pytest.raises(PermissionDenied):
        wish_services.wish_claim(
            actor=world.users["party_b"],
            wish=make_wish(world, "published", title="另一个"),
            kind=ClaimantKind.TEAM,
            team=team,
        )


def test_post_and_area_roll_up(world):
    post = make_post(world)
    volunteers_services.area_create(
        actor=world.users["village_a"],
        unit=world.village_a,
        holder=world.users["party_a"],
        name="东关一区",
        grids=[world.grid_a1],
        post=post,
    )
    with pytest.raises(PermissionDenied):
        volunteers_services.area_create(
            actor=world.users["village_a"],
            unit=world.village_a,
            holder=world.users["party_a"],
            name="越界",
            grids=[world.grid_b1],
        )
    make_wish(world, "confirmed")
    make_event(world, post=post)
    roll = volunteers_selectors.post_rollup(post=post)
    assert (
        roll["n_lit"] == 1
        and roll["n_events"] == 1
        and [a.name for a in roll["areas"]] == ["东关一区"]
    )
    assert roll["areas"][0].n_households == 1  # household A-0001 lies in grid A1


def test_pending_records_do_not_count(world):
    event = make_event(world, starts_in=timedelta(minutes=5), hours=2)
    services.checkin(actor=world.users["party_a"], event=event)
    assert ServiceRecord.objects.get().status == RecordStatus.PENDING
    assert volunteers_selectors.person_record(person=world.users["party_a"])["points"] == 0


def test_staff_marking_present_and_cancelling_for_someone_are_audited(world):
    event = make_event(world, capacity=5, starts_in=timedelta(minutes=10))
    reg = services.registration_create(actor=world.users["party_a"], event=event)
    services.attendance_mark(actor=world.users["village_a"], registration=reg)
    assert _audited(reg, "marked present")
    other = services.registration_create(actor=world.users["resident_a"], event=event)
    services.registration_cancel(actor=world.users["village_a"], registration=other)
    assert _audited(other, "cancelled for registrant")
    own = services.registration_create(actor=world.users["resident_a"], event=event)
    services.registration_cancel(actor=world.users["resident_a"], registration=own)
    assert not _audited(own, "cancelled for registrant")  # one's own cancellation is no staff act


@pytest.mark.parametrize(
    "module_name",
    [
        "lianxin.events.services.publish",
        "lianxin.events.services.signup",
        "lianxin.events.services.training",
        "lianxin.volunteers.services",
        "lianxin.brands.services",
        "lianxin.wishes.services",
    ],
)
def test_every_write_service_is_atomic(module_name):
    import importlib
    import inspect

    reads = {
        "point_rule_value",
        "home_unit",
        "checkin_token",
        "checkin_event_from_token",
        "is_level_above",
        "can_review",
        "can_act_for_resident",
        "audit_record",
        "user_scope",
        "photo_clean",
    }
    module = importlib.import_module(module_name)
    writes = [
        name
        for name, fn in vars(module).items()
        if inspect.isfunction(fn)
        and not name.startswith("_")
        and fn.__module__ == module_name
        and name not in reads
    ]
    assert writes
    assert [n for n in writes if not hasattr(getattr(module, n), "__wrapped__")] == []


def test_event_create_refuses_a_start_before_yesterday(world):
    """The rule was the form's only; the service enforces it for every caller (issue 10)."""
    start = timezone.now() - timedelta(days=1, hours=1)
    with pytest.raises(ValidationError) as exc:
        services.event_create(
            actor=world.users["village_a"],
            unit=world.village_a,
            kind=EventKind.CULTURE,
            title="村晚",
            place="广场",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
        )
    assert exc.value.message_dict["starts_at"] == ["开始时间不能早于昨天。"]
    earlier_today = timezone.now() - timedelta(hours=3)
    event = services.event_create(
        actor=world.users["village_a"],
        unit=world.village_a,
        kind=EventKind.CULTURE,
        title="补录的村晚",
        place="广场",
        starts_at=earlier_today,
        ends_at=earlier_today + timedelta(hours=2),
    )
    assert event.pk
