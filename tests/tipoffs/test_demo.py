"""The demo's 举报: every state and conclusion, encrypted, handled only by the county's 纪检
supervisor, the same for the same seed."""

import pytest
from django.core.management import call_command
from django.db import transaction

from lianxin.org.models import Membership, Role
from lianxin.tipoffs import selectors
from lianxin.tipoffs.models import Conclusion, Tipoff, TipoffState

pytestmark = pytest.mark.django_db

STEPS = "org,people,tipoffs"


def _build():
    call_command("demo", households=30, only=STEPS, seed=3)
    return [
        (t.unit.code, t.state, t.conclusion, t.text, t.feedback, t.anonymous)
        for t in Tipoff.objects.order_by("pk").select_related("unit")
    ]


def test_demo_tipoffs_in_every_state(capsys):
    with transaction.atomic():
        first = _build()
        transaction.set_rollback(True)
    second = _build()
    assert first == second
    assert {row[1] for row in second} == set(TipoffState.values)
    assert {row[2] for row in second} - {""} == set(Conclusion.values)
    assert any(not row[5] for row in second) and any(row[5] for row in second)
    assert all(row[4] for row in second if row[1] == TipoffState.CONCLUDED)
    assert all(t.text_enc.startswith("gAAAA") for t in Tipoff.objects.all())
    sup = Membership.objects.get(role=Role.SUPERVISOR, unit__kind="county").user
    assert selectors.tipoff_list(user=sup).count() == len(second)
    admin = Membership.objects.filter(role=Role.COUNTY_ADMIN).first().user
    village = Membership.objects.filter(role=Role.VILLAGE_STAFF).first().user
    assert not selectors.tipoff_list(user=admin).exists()
    assert not selectors.tipoff_list(user=village).exists()
    assert "举报" in capsys.readouterr().out
