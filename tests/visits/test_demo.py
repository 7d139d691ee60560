"""The demo's quarter of visits: coverage by village between 60% and 95%, vulnerable overdue."""

import statistics

import pytest
from django.core.management import call_command
from django.utils import timezone

from lianxin.accounts.models import User
from lianxin.org.models import VILLAGE_KINDS, Unit
from lianxin.visits import selectors
from lianxin.visits.models import Visit


@pytest.mark.django_db
def test_demo_coverage_by_village(settings, tmp_path, capsys):
    settings.MEDIA_ROOT = tmp_path
    call_command("demo", households=1500, only="org,people,visits", verbosity=0)
    assert Visit.objects.exists()
    admin = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "vis-root", password="x-Test-pass-123"
    )
    quarter = selectors.Quarter.of(timezone.localdate())
    rates = []
    for village in Unit.objects.filter(kind__in=VILLAGE_KINDS):
        cov = selectors.coverage_for(admin, village, quarter)
        if cov.households >= 10:  # a village of 2 households cannot be 60-95%
            rates.append(cov.rate)
    assert rates
    rates.sort()
    print(
        f"\nvisits demo coverage by village: min {rates[0]:.0%} "
        f"median {statistics.median(rates):.0%} max {rates[-1]:.0%} over {len(rates)}"
    )
    assert rates[0] >= 0.55 and rates[-1] <= 0.97
    due = selectors.households_due(admin)
    assert any(d.vulnerable for d in due)
