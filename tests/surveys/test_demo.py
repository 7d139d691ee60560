"""The demo's two questionnaires: a community's residents (open) and a past event's attendees,
with responses from their own audience only, the same for the same seed."""

import pytest
from django.core.management import call_command

from lianxin.surveys import selectors
from lianxin.surveys.models import AudienceKind, Questionnaire, Response

pytestmark = pytest.mark.django_db

STEPS = "org,people,venues,volunteers,events,surveys"


def test_demo_builds_two_questionnaires_answered_by_their_audience(capsys):
    call_command("demo", households=60, only=STEPS, seed=3)
    qs = list(Questionnaire.objects.order_by("audience_kind"))
    assert sorted(q.audience_kind for q in qs) == [AudienceKind.EVENT, AudienceKind.UNIT]
    for q in qs:
        who = set(Response.objects.filter(questionnaire=q).values_list("user_id", flat=True))
        assert who, q.title
        assert who <= selectors.audience_ids(questionnaire=q)
        res = selectors.results(questionnaire=q)
        assert res["total"] == len(who)
        assert all(item["answered"] > 0 for item in res["questions"] if item["question"].required)
    assert "民意调查" in capsys.readouterr().out
