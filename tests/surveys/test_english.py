"""The resident's answering page and the clerk's results in English (the language switch)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from lianxin.surveys import services
from tests.surveys.factories import full_answers, make_questionnaire

pytestmark = pytest.mark.django_db


def test_pages_read_in_english(world, login, client):
    q = make_questionnaire(world)
    services.questionnaire_answer(
        actor=world.users["resident_a"], questionnaire=q, answers=full_answers(q)
    )
    login(world.users["party_a"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("surveys:answer", args=[q.pk])).content.decode()
    assert "Submit" in body and "1 is lowest" in body
    r = client.post(reverse("surveys:answer", args=[q.pk]), {})
    assert "Please answer question 1." in r.content.decode()
    mine = client.get(reverse("surveys:mine")).content.decode()
    assert "Surveys to fill in" in mine
    login(world.users["village_a"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    results = client.get(reverse("surveys:results", args=[q.pk])).content.decode()
    assert "1 responses received" in results and "Export results" in results
