"""The demo county's wishes, events, hours and points are consistent (they add up)."""

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q, Sum

from lianxin.events.models import Event, Registration, TrainingProgramme
from lianxin.events.selectors import programme_coverage
from lianxin.volunteers.models import RecordStatus, ServiceRecord, SourceKind
from lianxin.volunteers.selectors import ranking
from lianxin.wishes.models import Wish, WishClaim, WishStatus


@pytest.mark.django_db
def test_demo_adds_up(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command(
        "demo", households=300, only="org,people,wishes,volunteers,events,brands", verbosity=0
    )
    states = set(Wish.objects.values_list("status", flat=True))
    assert states == set(WishStatus.values)
    assert Wish.objects.count() >= 2000
    # never two active claimants; every claimed-or-later wish has exactly one
    assert (
        not WishClaim.objects.filter(is_active=True)
        .values("wish")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .exists()
    )
    claimed = Wish.objects.filter(status__in=("claimed", "lit", "confirmed"))
    assert WishClaim.objects.filter(is_active=True).count() == claimed.count()
    # one confirmed record per confirmed wish, credited to its claimant
    confirmed = Wish.objects.filter(status=WishStatus.CONFIRMED)
    wish_records = ServiceRecord.objects.filter(source_kind=SourceKind.WISH)
    assert wish_records.count() == confirmed.count()
    assert not wish_records.exclude(source_id__in=confirmed.values("id")).exists()
    # one record per checked-in registration, never for an absent one
    present = Registration.objects.filter(checked_in_at__isnull=False)
    att = ServiceRecord.objects.filter(source_kind__in=(SourceKind.ATTENDANCE, SourceKind.TRAINING))
    assert att.count() == present.count() > 0
    assert not att.exclude(source_id__in=present.values("id")).exists()
    # capacity holds everywhere
    over = (
        Event.objects.filter(capacity__isnull=False)
        .annotate(n=Count("registrations", filter=Q(registrations__status="confirmed")))
        .filter(n__gt=F("capacity"))
    )
    assert not over.exists()
    # the ranking's totals are the confirmed records' totals
    from lianxin.accounts.models import User

    admin = User.objects.get(username="county_admin")
    month = (
        ServiceRecord.objects.filter(status=RecordStatus.CONFIRMED)
        .order_by("-occurred_on")
        .first()
        .occurred_on.strftime("%Y-%m")
    )
    rows = ranking(user=admin, month=month, limit=100000)["rows"]
    y, m = (int(x) for x in month.split("-"))
    expected = ServiceRecord.objects.filter(
        status=RecordStatus.CONFIRMED, occurred_on__year=y, occurred_on__month=m
    ).aggregate(p=Sum("points"))["p"]
    assert sum(r["points"] for r in rows) == expected
    # the county 轮训 has partial coverage and a list of people to follow up
    cov = programme_coverage(programme=TrainingProgramme.objects.get())
    assert 0 < cov["attended"] < cov["required"] and cov["missing"]
