"""The demo builds the dashboards' rollup after every module's rows (before the reports)."""

from __future__ import annotations

import pytest

from lianxin.core.demo import demo_steps
from lianxin.dashboards import demo
from lianxin.dashboards.models import DashboardBuild, DashboardMonth
from tests.cases.factories import make_case
from tests.wishes.factories import make_wish

pytestmark = pytest.mark.django_db


def test_demo_step_builds_twelve_months_after_the_domain_steps(world):
    names = [m.__name__ for m in demo_steps()]
    mine = names.index("lianxin.dashboards.demo")
    for other in ("cases", "wishes", "events", "volunteers", "visits", "venues"):
        assert names.index(f"lianxin.{other}.demo") < mine
    if "lianxin.reports.demo" in names:
        assert names.index("lianxin.reports.demo") > mine
    make_case(world, grid=world.grid_a1)
    make_wish(world, "published")
    from django.utils import timezone

    from lianxin.core.demo import DemoContext

    ctx = DemoContext(
        rng=None, county_code="620524", households=0, now=timezone.now(),
        password_hash="", log=lambda m: None,
    )  # fmt: skip
    demo.demo_build(ctx)
    assert DashboardBuild.objects.count() == 12
    row = DashboardMonth.objects.get(unit=world.county, key="wishes_posted")
    assert row.num == 1
