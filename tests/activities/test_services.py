from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from lianxin.activities import selectors, services
from lianxin.activities.models import (
    BrandStatus,
    EventKind,
    ProposalStatus,
    RecordStatus,
    ServiceRecord,
    SourceKind,
)
from lianxin.org.models import Role
from tests.activities.factories import (
    make_brand,
    make_event,
    make_post,
    make_programme,
    make_proposal,
    make_team,
)
from tests.clock import PINNED_AT
from tests.conftest import make_user
from tests.wishes.factories import make_wish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_one_source_gives_one_record_enforced_by_the_database(world):
    ServiceRecord.objects.create(
        user=world.users["party_a"],
        unit=world.village_a,
        source_kind=SourceKind.WISH,
        source_id=1,
        title="x",
        occurred_on=timezone.localdate(),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceRecord.objects.create(
            user=world.users["party_b"],
            unit=world.village_b,
            source_kind=SourceKind.WISH,
            source_id=1,
            title="y",
            occurred_on=timezone.localdate(),
        )


def test_point_rules_nearest_unit_wins(world):
    assert services.point_rule_value(unit=world.village_a, source_kind=SourceKind.WISH) == 5
    services.point_rule_set(
        actor=world.users["county_admin"], unit=world.county, source_kind=SourceKind.WISH, points=8
    )
    services.point_rule_set(
        actor=world.users["town_a"], unit=world.town_a, source_kind=SourceKind.WISH, points=10
    )
    assert services.point_rule_value(unit=world.village_a, source_kind=SourceKind.WISH) == 10
    assert services.point_rule_value(unit=world.village_b, source_kind=SourceKind.WISH) == 8
    with pytest.raises(PermissionDenied):
        services.point_rule_set(
            actor=world.users["town_b"], unit=world.town_a, source_kind=SourceKind.WISH, points=1
        )
    wish = make_wish(world, "confirmed")
    assert ServiceRecord.objects.get(source_kind=SourceKind.WISH, source_id=wish.pk).points == 10


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
    data = selectors.ranking(user=world.users["town_a"])
    assert [(r["user_id"], r["points"]) for r in data["rows"]] == [
        (world.users["party_a"].pk, 10)
    ]  # pending attendance not yet counted
    services.service_records_confirm(actor=world.users["village_a"], event=event)
    row = selectors.ranking(user=world.users["town_a"])["rows"][0]
    assert row["points"] == 12 and float(row["hours"]) == 5.0 and row["n"] == 3
    assert len(selectors.ranking(user=world.users["county_admin"])["rows"]) == 2
    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    assert selectors.ranking(user=world.users["town_a"], month=last_month)["rows"] == []
    rec = selectors.person_record(person=world.users["party_a"])
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
    roll = selectors.team_rollup(team=team)
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
    services.area_create(
        actor=world.users["village_a"],
        unit=world.village_a,
        holder=world.users["party_a"],
        name="东关一区",
        grids=[world.grid_a1],
        post=post,
    )
    with pytest.raises(PermissionDenied):
        services.area_create(
            actor=world.users["village_a"],
            unit=world.village_a,
            holder=world.users["party_a"],
            name="越界",
            grids=[world.grid_b1],
        )
    make_wish(world, "confirmed")
    make_event(world, post=post)
    roll = selectors.post_rollup(post=post)
    assert (
        roll["n_lit"] == 1
        and roll["n_events"] == 1
        and [a.name for a in roll["areas"]] == ["东关一区"]
    )
    assert roll["areas"][0].n_households == 1  # household A-0001 lies in grid A1


def test_brand_is_approved_at_the_level_above(world):
    brand = make_brand(world)
    with pytest.raises(PermissionDenied):
        services.brand_decide(
            actor=world.users["village_a"], project=brand, approve=True
        )  # same level
    with pytest.raises(PermissionDenied):
        services.brand_decide(
            actor=world.users["town_b"], project=brand, approve=True
        )  # another town
    with pytest.raises(ValidationError):
        services.brand_review(actor=world.users["town_a"], project=brand, year=2026, rating="good")
    brand = services.brand_decide(
        actor=world.users["town_a"], project=brand, approve=True, note="同意"
    )
    assert brand.status == BrandStatus.APPROVED
    services.brand_review(
        actor=world.users["town_a"],
        project=brand,
        year=2026,
        rating="excellent",
        comment="成效明显",
    )
    with pytest.raises(ValidationError):
        services.brand_review(actor=world.users["town_a"], project=brand, year=2026, rating="good")
    with pytest.raises(ValidationError):
        services.brand_submit(
            actor=world.users["village_a"],
            unit=world.village_a,
            name="x",
            summary="一二三四五六七八九十",
        )


def test_proposal_adopted_then_implemented(world):
    p = make_proposal(world)
    with pytest.raises(PermissionDenied):
        services.proposal_submit(
            actor=world.users["party_a"],
            unit=world.village_b,
            title="越界建议",
            content="不应能提交到别村",
        )
    with pytest.raises(ValidationError):
        services.proposal_review(
            actor=world.users["village_a"], proposal=p, adopt=True
        )  # a due date is needed
    with pytest.raises(PermissionDenied):
        services.proposal_review(
            actor=world.users["village_b"], proposal=p, adopt=False, note="不行"
        )
    p = services.proposal_review(
        actor=world.users["village_a"],
        proposal=p,
        adopt=True,
        due=timezone.localdate() + timedelta(days=30),
    )
    assert p.status == ProposalStatus.ADOPTED
    p = services.proposal_implement(
        actor=world.users["village_a"], proposal=p, note="已安装 6 盏路灯"
    )
    assert p.status == ProposalStatus.IMPLEMENTED and p.implemented_at
    q = make_proposal(world)
    q = services.proposal_review(
        actor=world.users["village_a"], proposal=q, adopt=False, note="已列入明年计划"
    )
    with pytest.raises(ValidationError):
        services.proposal_implement(actor=world.users["village_a"], proposal=q, note="x")
    assert [x.pk for x in selectors.proposal_list(user=world.users["party_a"])] == [q.pk, p.pk]
    assert selectors.proposal_list(user=world.users["village_b"]).count() == 0


def test_pending_records_do_not_count(world):
    event = make_event(world, starts_in=timedelta(minutes=5), hours=2)
    services.checkin(actor=world.users["party_a"], event=event)
    assert ServiceRecord.objects.get().status == RecordStatus.PENDING
    assert selectors.person_record(person=world.users["party_a"])["points"] == 0


def test_visit_credit_once_and_unit_totals(world):
    from lianxin.activities.services import service_record_for_visit

    on = timezone.localdate()
    a = service_record_for_visit(
        visit_id=7, user=world.users["party_a"], unit=world.village_a, on=on, title="走访 A-0001"
    )
    b = service_record_for_visit(
        visit_id=7, user=world.users["party_a"], unit=world.village_a, on=on, title="走访 A-0001"
    )
    assert a.pk == b.pk and a.points == 1 and a.status == RecordStatus.CONFIRMED
    make_wish(world, "confirmed")
    units = selectors.ranking(user=world.users["town_a"])["units"]
    assert units == [
        {
            "unit__name": "东关社区",
            "unit__code": world.village_a.code,
            "points": 6,
            "hours": a.hours + 1,
            "people": 1,
        }
    ]


def _audited(target, reason: str) -> bool:
    from lianxin.audit.models import AuditEvent

    return AuditEvent.objects.filter(
        target_type=target._meta.label_lower, target_id=str(target.pk), reason=reason
    ).exists()


def test_team_membership_changes_are_audited(world):
    team = make_team(world)
    services.team_member_add(
        actor=world.users["village_a"], team=team, user=world.users["resident_a"]
    )
    assert _audited(team, "member added")
    services.team_member_remove(
        actor=world.users["village_a"], team=team, user=world.users["resident_a"]
    )
    assert _audited(team, "member removed")


def test_team_member_add_checks_the_manager_and_the_person_itself(world):
    """The service refuses on its own, whatever view calls it: the actor must be allowed to
    manage teams over the team's unit, and the person added must lie inside their scope."""
    from lianxin.activities.models import TeamMember

    team = make_team(world)
    with pytest.raises(PermissionDenied):  # a person of town B pulled into a town-A team
        services.team_member_add(
            actor=world.users["village_a"], team=team, user=world.users["resident_b"]
        )
    with pytest.raises(PermissionDenied):  # covers the unit but may not manage teams
        services.team_member_add(
            actor=world.users["supervisor"], team=team, user=world.users["resident_a"]
        )
    with pytest.raises(PermissionDenied):  # staff of another town
        services.team_member_add(
            actor=world.users["village_b"], team=team, user=world.users["resident_b"]
        )
    assert not TeamMember.objects.filter(
        team=team, user__in=[world.users["resident_a"], world.users["resident_b"]]
    ).exists()
    services.team_member_add(actor=world.users["town_a"], team=team, user=world.users["resident_a"])
    assert TeamMember.objects.filter(team=team, user=world.users["resident_a"]).exists()
    with pytest.raises(PermissionDenied):  # nor as the leader of a new team
        services.team_create(
            actor=world.users["village_a"],
            unit=world.village_a,
            name="跨镇队",
            kind="volunteer",
            leader=world.users["resident_b"],
        )


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


def test_responsibility_area_creation_is_audited(world):
    post = make_post(world)
    area = services.area_create(
        actor=world.users["village_a"],
        unit=post.unit,
        holder=post.holder,
        name="东关一组",
        grids=[world.grid_a1],
        post=post,
    )
    assert _audited(area, "")


@pytest.mark.parametrize("module_name", ["lianxin.activities.services", "lianxin.wishes.services"])
def test_every_write_service_is_atomic(module_name):
    import importlib
    import inspect

    reads = {
        "point_rule_value",
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
