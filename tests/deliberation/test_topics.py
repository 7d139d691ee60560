"""议题: raising (resident, staff, from a request or visit) and 附议 once per resident."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lianxin.audit.models import AuditEvent
from lianxin.deliberation import services
from lianxin.deliberation.models import TopicSource, TopicStatus, TopicSupport
from tests.deliberation.factories import make_topic

pytestmark = pytest.mark.django_db


def test_resident_raises_in_their_village_and_supports_first(world):
    topic = make_topic(world)
    assert topic.unit == world.village_a
    assert topic.source == TopicSource.RESIDENT
    assert topic.support_count == 1
    assert TopicSupport.objects.filter(topic=topic, user=world.users["resident_a"]).exists()
    assert AuditEvent.objects.filter(target_id=str(topic.pk), action="create").exists()


def test_same_submission_twice_is_one_topic(world):
    kw = {
        "actor": world.users["resident_a"],
        "title": "路灯",
        "content": "坏了",
        "submission_key": "k1",
    }
    assert services.topic_raise(**kw).pk == services.topic_raise(**kw).pk


def test_resident_without_record_is_refused(world):
    from lianxin.org.models import Role
    from tests.conftest import make_user

    nobody = make_user("13900000099", unit=world.grid_a1, role=Role.RESIDENT)
    with pytest.raises(ValidationError):
        services.topic_raise(actor=nobody, title="x", content="y")


def test_staff_raise_only_in_their_subtree(world):
    topic = make_topic(world, by="village_a")
    assert topic.source == TopicSource.STAFF and topic.support_count == 0
    with pytest.raises(PermissionDenied):
        services.topic_raise(
            actor=world.users["village_b"], title="x", content="y", unit=world.village_a
        )


def test_support_once_per_person_with_count(world):
    topic = make_topic(world)
    party_a = world.users["party_a"]
    topic = services.topic_support(actor=party_a, topic=topic)
    assert topic.support_count == 2
    with pytest.raises(ValidationError):
        services.topic_support(actor=party_a, topic=topic)
    with pytest.raises(ValidationError):  # the raiser supported it already
        services.topic_support(actor=world.users["resident_a"], topic=topic)
    topic.refresh_from_db()
    assert topic.support_count == 2 == topic.supports.count()


def test_support_only_from_residents_of_the_unit(world):
    topic = make_topic(world)
    for name in ("resident_b", "party_b", "village_b"):
        with pytest.raises(PermissionDenied):
            services.topic_support(actor=world.users[name], topic=topic)
    topic.refresh_from_db()
    assert topic.support_count == 1


def test_no_support_once_decided(world):
    topic = make_topic(world)
    topic.status = TopicStatus.DECIDED
    topic.save()
    with pytest.raises(ValidationError):
        services.topic_support(actor=world.users["party_a"], topic=topic)


def test_topic_from_case_links_back_once(world):
    from tests.cases.factories import make_case

    case = make_case(world)
    topic = services.topic_from_case(actor=world.users["village_a"], case=case)
    assert topic.case == case and topic.source == TopicSource.CASE
    assert topic.unit == world.village_a
    assert services.topic_from_case(actor=world.users["village_a"], case=case).pk == topic.pk
    with pytest.raises(PermissionDenied):
        services.topic_from_case(actor=world.users["village_b"], case=case)


def test_topic_from_visit_links_back(world):
    from django.utils import timezone

    from lianxin.visits.models import Visit

    visit = Visit.objects.create(
        household=world.households["a"],
        grid=world.grid_a1,
        visitor=world.users["grid_a1"],
        visited_at=timezone.now(),
        notes="楼道堆物多，居民希望统一清理",
    )
    topic = services.topic_from_visit(actor=world.users["grid_a1"], visit=visit)
    assert topic.visit == visit and topic.source == TopicSource.VISIT
    assert topic.unit == world.village_a
    assert "楼道" in topic.title


def test_close(world):
    topic = make_topic(world)
    services.topic_close(actor=world.users["village_a"], topic=topic)
    topic.refresh_from_db()
    assert topic.status == TopicStatus.CLOSED
    with pytest.raises(PermissionDenied):
        services.topic_close(actor=world.users["resident_a"], topic=topic)
