import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from lianxin.volunteers import selectors, services
from lianxin.volunteers.models import RecordStatus, ServiceRecord, SourceKind
from tests.volunteers.factories import make_post, make_team
from tests.wishes.factories import make_wish

pytestmark = pytest.mark.django_db


def _audited(target, reason: str) -> bool:
    from lianxin.audit.models import AuditEvent

    return AuditEvent.objects.filter(
        target_type=target._meta.label_lower, target_id=str(target.pk), reason=reason
    ).exists()


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


def test_visit_credit_once_and_unit_totals(world):
    from lianxin.volunteers.services import service_record_for_visit

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
    from lianxin.volunteers.models import TeamMember

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
