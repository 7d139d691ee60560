"""Training on the deployment's own past dispatches; suggestions scoped to the user's reach;
the worker's nightly job."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from lianxin.audit.models import AuditEvent
from lianxin.triage import selectors, services
from lianxin.triage.models import RoutingModel
from tests.cases.factories import make_case
from tests.triage.factories import past_dispatches, trained

pytestmark = pytest.mark.django_db


def test_training_learns_categories_and_units_from_accepted_requests(world):
    past_dispatches(world)
    make_case(world, title="垃圾没人清运", description="垃圾堆了好几天", cat="env-garbage")
    docs, cats, units = services.training_rows()
    assert len(docs) == 20  # the one still waiting in a queue is nobody's confirmed dispatch
    assert set(cats) == {"infra-light", "dispute-wage"}
    assert set(units) == {"@grid", f"u:{world.department.code}"}
    row = services.routing_model_train()
    assert row is not None and row.samples == 20 and row.units == 2
    assert AuditEvent.objects.filter(action="triage.train", target_id=str(row.pk)).exists()


def test_too_few_dispatches_train_nothing(world):
    make_case(world)
    assert services.routing_model_train() is None
    assert not RoutingModel.objects.exists()


def test_suggestions_top_three_with_confidence(world):
    trained(world)
    s = selectors.suggestions(
        user=world.users["county_admin"], text="老板拖欠工资两个月", grid=world.grid_a1
    )
    assert s.categories[0].category.code == "dispute-wage"
    assert 0.5 < s.categories[0].confidence <= 1.0
    assert s.units[0].unit == world.department
    assert len(s.categories) <= 3 and len(s.units) <= 3
    light = selectors.suggestions(
        user=world.users["town_a"], text="楼下路灯坏了好几天", grid=world.grid_a2
    )
    assert light.units[0].unit == world.grid_a2  # the request's own grid, not the one learned


def test_suggested_units_stay_within_the_user_s_reach(world):
    trained(world)
    text = "路灯坏了晚上很黑"
    mine = selectors.suggestions(user=world.users["town_a"], text=text, grid=world.grid_a1)
    assert world.grid_a1 in [s.unit for s in mine.units]
    # town B's clerk cannot dispatch into town A's grid: it is never suggested to them
    other = selectors.suggestions(user=world.users["town_b"], text=text, grid=world.grid_a1)
    assert world.grid_a1 not in [s.unit for s in other.units]
    assert all(s.unit is not None for s in other.units)


def test_no_model_no_suggestions(world):
    s = selectors.suggestions(user=world.users["county_admin"], text="路灯", grid=world.grid_a1)
    assert s.categories == [] and s.units == []


def test_the_worker_trains_when_absent_then_nightly(world, settings):
    settings.LIANXIN_TRIAGE_TRAIN_HOUR = 3
    past_dispatches(world)
    tz = timezone.get_current_timezone()
    noon = datetime(2026, 12, 2, 12, 0, tzinfo=tz)
    assert services.routing_model_job(noon)["trained"] is True  # at start: none yet
    assert services.routing_model_job(noon + timedelta(minutes=1)) == {"trained": False}
    assert services.routing_model_job(noon + timedelta(hours=14)) == {"trained": False}  # 02:00
    assert services.routing_model_job(noon + timedelta(hours=15, minutes=1))["trained"]  # 03:01
    assert services.routing_model_job(noon + timedelta(hours=15, minutes=2)) == {"trained": False}


def test_old_models_are_pruned_and_the_newest_is_used(world):
    past_dispatches(world)
    for _ in range(services.KEEP_MODELS + 1):
        services.routing_model_train()
    assert RoutingModel.objects.count() == services.KEEP_MODELS
    assert selectors.current_model() is not None


def test_a_periodic_job_is_registered():
    from lianxin.core.registry import periodic_jobs

    assert "triage.routing_model" in [name for name, _job in periodic_jobs()]
