"""Selectors of 民意调查: staff lists scoped by subtree, the audience of a unit and of an event,
the pending list, and the results figures."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lianxin.surveys import selectors, services
from tests.surveys.factories import full_answers, make_questionnaire

pytestmark = pytest.mark.django_db


def test_staff_list_is_scoped(world):
    q = make_questionnaire(world)
    for name, seen in [("county_admin", 1), ("town_a", 1), ("village_a", 1), ("town_b", 0)]:
        assert selectors.questionnaire_list(user=world.users[name]).count() == seen, name
    assert q in selectors.questionnaire_list(user=world.users["town_a"])


def test_unit_audience_is_the_subtree(world):
    ids = selectors.unit_audience_ids(unit=world.village_a)
    assert ids == {world.users["resident_a"].pk, world.users["party_a"].pk}
    # party_a lives in grid A1 by their resident entry; their membership is at the village
    assert selectors.unit_audience_ids(unit=world.grid_a1) == ids
    assert selectors.unit_audience_ids(unit=world.grid_a2) == set()


def test_pending_drops_answered_and_out_of_date(world, clock):
    q = make_questionnaire(world)
    resident = world.users["resident_a"]
    assert list(selectors.pending_for(user=resident)) == [q]
    assert list(selectors.pending_for(user=world.users["resident_b"])) == []
    clock.shift(timedelta(days=8))
    assert list(selectors.pending_for(user=resident)) == []
    clock.shift(timedelta(days=-8))
    services.questionnaire_answer(actor=resident, questionnaire=q, answers=full_answers(q))
    assert list(selectors.pending_for(user=resident)) == []
    assert list(selectors.answered_by(user=resident)) == [q]


def test_results_counts_and_percentages(world):
    q = make_questionnaire(world)
    services.questionnaire_answer(
        actor=world.users["resident_a"],
        questionnaire=q,
        answers=full_answers(q, single=0, multiple=(0, 2), rating="5", text="好"),
    )
    services.questionnaire_answer(
        actor=world.users["party_a"],
        questionnaire=q,
        answers=full_answers(q, single=0, multiple=(2,), rating="3", text="一般"),
    )
    res = selectors.results(questionnaire=q)
    assert res["total"] == 2
    single, multiple, rating, text = res["questions"]
    assert [(r["label"], r["count"], r["percent"]) for r in single["rows"]] == [
        ("满意", 2, 100.0),
        ("一般", 0, 0.0),
        ("不满意", 0, 0.0),
    ]
    assert [(r["count"], r["percent"]) for r in multiple["rows"]] == [
        (1, 50.0),
        (0, 0.0),
        (2, 100.0),
    ]
    assert [r["count"] for r in rating["rows"]] == [0, 0, 1, 0, 1]
    assert rating["average"] == 4.0
    assert sorted(text["texts"]) == ["一般", "好"]


def test_results_of_nobody_are_zero_not_an_error(world):
    q = make_questionnaire(world)
    res = selectors.results(questionnaire=q)
    assert res["total"] == 0
    assert all(r["percent"] == 0.0 for item in res["questions"] for r in item["rows"])
    assert timezone.localdate() <= q.closes_on
