"""The demo credits a lit wish on the county's date (China time), as wish_confirm does."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from lianxin.volunteers.models import ServiceRecord, SourceKind
from lianxin.wishes.models import Wish


@pytest.mark.django_db
def test_demo_wish_records_fall_on_the_local_day_of_lighting(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("demo", households=60, only="org,people,wishes", verbosity=0)
    lit_at = dict(Wish.objects.filter(lit_at__isnull=False).values_list("pk", "lit_at"))
    records = list(
        ServiceRecord.objects.filter(source_kind=SourceKind.WISH).values_list(
            "source_id", "occurred_on"
        )
    )
    assert len(records) > 20
    wrong = [(pk, on) for pk, on in records if on != timezone.localdate(lit_at[pk])]
    assert wrong == []
