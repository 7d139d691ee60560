"""The demo's visits credit their visitors once each, through the service-record entry point."""

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum

from lianxin.visits.models import Visit
from lianxin.visits.services import visit_credit
from lianxin.volunteers.models import ServiceRecord, SourceKind


@pytest.mark.django_db
def test_demo_visits_credit_volunteer_records_once(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("demo", households=400, only="org,people,visits", verbosity=0)
    visits = Visit.objects.count()
    assert visits > 0
    records = ServiceRecord.objects.filter(source_kind=SourceKind.VISIT)
    assert records.count() == visits
    # one record per visit, for the visit's visitor and grid
    assert set(records.values_list("source_id", flat=True)) == set(
        Visit.objects.values_list("pk", flat=True)
    )
    sample = Visit.objects.order_by("pk").first()
    record = records.get(source_id=sample.pk)
    assert (record.user_id, record.unit_id) == (sample.visitor_id, sample.grid_id)
    assert record.status == "confirmed"
    # the hours page sums them: visits show in volunteer points
    per_user = records.values("user").annotate(n=Count("id"), points=Sum("points"))
    assert sum(row["n"] for row in per_user) == visits
    # idempotent: crediting every visit again writes nothing new
    for visit in Visit.objects.select_related("household", "grid", "visitor"):
        assert visit_credit(visit).source_id == visit.pk
    assert ServiceRecord.objects.filter(source_kind=SourceKind.VISIT).count() == visits
