"""Issue 9 item 6: the demo's 阵地 agree with themselves, checked over every generated venue,
plan, hazard, survey answer and rectification task.

- The condition on file is the latest survey's, after every accepted work: a 较差/危房 centre
  has no accepted plan, a 危房 is rebuilt (新建) and never merely repaired, an accepted work
  leaves its centre in good repair (a new build dated by its acceptance, an extension's area
  on file), and a sound building is not torn down.
- Repair and renovation keep the floor area, an extension adds to it.
- A plan's dates follow its status, in order, none in the future.
- Open hazards belong to centres whose works are not accepted.
- Survey answers come after the campaign opened and are the venue's latest survey; signage
  (signage checks and closed tasks: tests/compliance/test_demo_invariants.py).
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from lianxin.venues.models import (
    Condition,
    PlanStatus,
    SurveyCampaign,
    UpgradePlan,
    Venue,
    VenueHazard,
    WorkType,
)

pytestmark = pytest.mark.django_db

STEPS = [PlanStatus.PLANNED, PlanStatus.FUNDED, PlanStatus.UNDER_CONSTRUCTION, PlanStatus.ACCEPTED]


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("demo", households=60, only="org,people,venues")


def _plan_problems(plan: UpgradePlan, today) -> list[str]:
    venue, p = plan.venue, []
    accepted = plan.status == PlanStatus.ACCEPTED
    if venue.condition in (Condition.POOR, Condition.DANGEROUS) and accepted:
        p.append(f"{venue.get_condition_display()} centre with an accepted plan")
    if venue.condition == Condition.DANGEROUS and plan.work_type != WorkType.NEW_BUILD:
        p.append(f"危房 with a {plan.get_work_type_display()} plan")
    if (
        plan.work_type == WorkType.NEW_BUILD
        and venue.condition in (Condition.GOOD, Condition.FAIR)
        and not accepted
    ):
        p.append("a sound building planned to be torn down")
    if accepted and venue.condition not in (Condition.GOOD, Condition.FAIR):
        p.append("accepted works left the centre in bad repair")
    if accepted and plan.work_type != WorkType.REPAIR and venue.condition != Condition.GOOD:
        p.append(f"accepted {plan.work_type} but condition {venue.condition}")
    if (
        accepted
        and plan.work_type == WorkType.NEW_BUILD
        and venue.build_year != plan.accepted_on.year
    ):
        p.append(f"new build accepted {plan.accepted_on} but built {venue.build_year}")
    if plan.work_type in (WorkType.REPAIR, WorkType.RENOVATION) and plan.target_area not in (
        None,
        venue.floor_area,
    ):
        p.append(f"{plan.work_type} changes the area {venue.floor_area} -> {plan.target_area}")
    if plan.work_type == WorkType.EXTENSION:
        if accepted and plan.target_area != venue.floor_area:
            p.append("accepted extension's area not on file")
        if not accepted and not plan.target_area > venue.floor_area:
            p.append("extension that adds nothing")
    step = STEPS.index(plan.status)
    dates = [plan.funded_on, plan.started_on, plan.accepted_on]
    for k, d in enumerate(dates, start=1):
        if (d is not None) != (step >= k):
            p.append(f"status {plan.status} with date {k} = {d}")
    known = [d for d in dates if d is not None]
    if known != sorted(known) or any(d > today for d in known):
        p.append(f"dates out of order or in the future: {known}")
    if plan.year > today.year or any(d.year < plan.year for d in known):
        p.append(f"dates outside the plan's year {plan.year}: {known}")
    return p


def test_demo_venues_plans_and_tasks_agree(demo):
    today = timezone.localdate()
    plans = list(UpgradePlan.objects.select_related("venue"))
    assert len(plans) > 50
    problems = {f"{pl.venue.name} {pl.year}": _plan_problems(pl, today) for pl in plans}
    assert {k: v for k, v in problems.items() if v} == {}

    # the demo still shows plans of every kind and stage, and 危房 centres being rebuilt
    assert {pl.work_type for pl in plans} == set(WorkType.values)
    assert {pl.status for pl in plans} == set(PlanStatus.values)
    assert any(pl.venue.condition == Condition.DANGEROUS for pl in plans)

    accepted_venues = {pl.venue_id for pl in plans if pl.status == PlanStatus.ACCEPTED}
    open_hazards = list(VenueHazard.objects.open().select_related("venue"))
    assert open_hazards
    assert [h.venue.name for h in open_hazards if h.venue_id in accepted_venues] == []
    assert [h.venue.name for h in open_hazards if h.found_on > today] == []

    campaign = SurveyCampaign.objects.get()
    for r in campaign.responses.select_related("venue"):
        assert campaign.created_at <= r.created_at <= timezone.now(), r.venue.name
        assert r.venue.surveyed_at == r.created_at, r.venue.name
    answered = set(campaign.responses.values_list("venue_id", flat=True))
    for venue in Venue.objects.service_centers().exclude(pk__in=answered):
        assert venue.surveyed_at is None or venue.surveyed_at < campaign.created_at, venue.name
