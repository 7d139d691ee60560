"""Services of 民意调查: building while draft, publishing (the audience is notified), closing,
answering once per person inside the dates, and refusals with a message (never a crash)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lianxin.audit.models import AuditEvent
from lianxin.notifications.models import Notification
from lianxin.surveys import services
from lianxin.surveys.models import Answer, QuestionKind, Response, SurveyState
from tests.surveys.factories import full_answers, make_questionnaire

pytestmark = pytest.mark.django_db


def test_publish_notifies_the_residents_of_the_subtree_once(world):
    q = make_questionnaire(world)
    assert q.state == SurveyState.OPEN
    got = set(
        Notification.objects.filter(url__contains=f"/surveys/{q.pk}/").values_list(
            "recipient__username", flat=True
        )
    )
    # resident_a (grid A1 under 东关社区) and party_a (member at 东关社区), nobody from town B
    assert got == {world.users["resident_a"].username, world.users["party_a"].username}
    assert AuditEvent.objects.filter(target_id=str(q.pk), reason="published").count() == 1


def test_publish_needs_a_question(world):
    q = make_questionnaire(world, publish=False)
    for question in list(q.questions.all()):
        services.question_delete(actor=world.users["village_a"], question=question)
    with pytest.raises(ValidationError, match="请先添加题目"):
        services.questionnaire_publish(actor=world.users["village_a"], questionnaire=q)


def test_published_questionnaire_is_frozen(world):
    q = make_questionnaire(world)
    with pytest.raises(ValidationError, match="不能再修改"):
        services.question_add(
            actor=world.users["village_a"], questionnaire=q, kind=QuestionKind.TEXT, text="新题"
        )


def test_choice_question_needs_two_distinct_options(world):
    q = make_questionnaire(world, publish=False)
    with pytest.raises(ValidationError, match="2 到 20"):
        services.question_add(
            actor=world.users["village_a"],
            questionnaire=q,
            kind=QuestionKind.SINGLE,
            text="是否？",
            options=["是", "是 ", ""],
        )


def test_other_town_cannot_create_or_manage(world):
    with pytest.raises(PermissionDenied):
        make_questionnaire(world, actor=world.users["town_b"])
    q = make_questionnaire(world)
    with pytest.raises(PermissionDenied):
        services.questionnaire_close(actor=world.users["town_b"], questionnaire=q)


def test_audience_must_lie_under_the_owner_unit(world):
    with pytest.raises(ValidationError, match="下属单位"):
        make_questionnaire(
            world, actor=world.users["town_a"], unit=world.village_a, audience_unit=world.town_a
        )


def test_dates_must_run_forwards(world):
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="截止日期不能早于"):
        make_questionnaire(world, opens_on=today, closes_on=today - timedelta(days=1))


def test_answer_once_per_person(world):
    q = make_questionnaire(world)
    resident = world.users["resident_a"]
    services.questionnaire_answer(actor=resident, questionnaire=q, answers=full_answers(q))
    assert Response.objects.filter(questionnaire=q).count() == 1
    assert Answer.objects.filter(response__questionnaire=q).count() == 4
    with pytest.raises(ValidationError, match="每人只能填写一次"):
        services.questionnaire_answer(actor=resident, questionnaire=q, answers=full_answers(q))
    assert Response.objects.filter(questionnaire=q).count() == 1


def test_answer_refused_outside_the_audience(world):
    q = make_questionnaire(world)
    with pytest.raises(PermissionDenied, match="不在本问卷的调查对象"):
        services.questionnaire_answer(
            actor=world.users["resident_b"], questionnaire=q, answers=full_answers(q)
        )


def test_answer_refused_before_and_after_the_dates(world, clock):
    today = timezone.localdate()
    q = make_questionnaire(
        world, opens_on=today + timedelta(days=2), closes_on=today + timedelta(days=5)
    )
    resident = world.users["resident_a"]
    with pytest.raises(ValidationError, match="开始填写"):
        services.questionnaire_answer(actor=resident, questionnaire=q, answers=full_answers(q))
    clock.shift(timedelta(days=6))
    with pytest.raises(ValidationError, match="已截止"):
        services.questionnaire_answer(actor=resident, questionnaire=q, answers=full_answers(q))
    clock.shift(timedelta(days=-3))
    services.questionnaire_answer(actor=resident, questionnaire=q, answers=full_answers(q))


def test_answer_refused_when_closed(world):
    q = make_questionnaire(world)
    services.questionnaire_close(actor=world.users["village_a"], questionnaire=q)
    with pytest.raises(ValidationError, match="已截止"):
        services.questionnaire_answer(
            actor=world.users["resident_a"], questionnaire=q, answers=full_answers(q)
        )


@pytest.mark.parametrize(
    "spoil",
    [
        lambda a, qs: a.update({qs[0].pk: ["999999"]}),  # someone else's option
        lambda a, qs: a.update({qs[0].pk: [a[qs[0].pk][0], str(qs[0].options.all()[1].pk)]}),
        lambda a, qs: a.update({qs[2].pk: ["6"]}),
        lambda a, qs: a.update({qs[2].pk: ["abc"]}),
        lambda a, qs: a.update({qs[3].pk: ["长" * 1001]}),
        lambda a, qs: a.pop(qs[0].pk),  # a required question left blank
    ],
)
def test_bad_answers_are_refused_with_a_message(world, spoil):
    q = make_questionnaire(world)
    answers = full_answers(q)
    spoil(answers, list(q.questions.order_by("order")))
    with pytest.raises(ValidationError):
        services.questionnaire_answer(
            actor=world.users["resident_a"], questionnaire=q, answers=answers
        )
    assert not Response.objects.filter(questionnaire=q).exists()


def test_optional_questions_may_be_left_blank(world):
    q = make_questionnaire(world)
    answers = full_answers(q)
    questions = list(q.questions.order_by("order"))
    answers[questions[1].pk] = []
    answers[questions[3].pk] = ["  "]
    services.questionnaire_answer(actor=world.users["party_a"], questionnaire=q, answers=answers)
    assert Answer.objects.filter(response__questionnaire=q).count() == 2


def test_event_attendees_are_the_audience(world):
    from lianxin.events.models import Registration, RegistrationStatus
    from tests.events.factories import make_event

    event = make_event(world, starts_in=timedelta(hours=-20))
    Registration.objects.create(
        event=event,
        user=world.users["resident_a"],
        status=RegistrationStatus.CONFIRMED,
        checked_in_at=timezone.now() - timedelta(hours=19),
    )
    Registration.objects.create(
        event=event, user=world.users["party_a"], status=RegistrationStatus.CONFIRMED
    )  # signed up, never came
    q = make_questionnaire(world, event=event, title="村晚满意度")
    assert list(
        Notification.objects.filter(url__contains=f"/surveys/{q.pk}/").values_list(
            "recipient__username", flat=True
        )
    ) == [world.users["resident_a"].username]
    services.questionnaire_answer(
        actor=world.users["resident_a"], questionnaire=q, answers=full_answers(q)
    )
    with pytest.raises(PermissionDenied):
        services.questionnaire_answer(
            actor=world.users["party_a"], questionnaire=q, answers=full_answers(q)
        )


def test_a_double_tap_race_still_gives_one_response(world, monkeypatch):
    """Two submissions that both passed the "already answered?" check: the unique constraint
    refuses the second, and the person sees the once-per-person message, not an error page."""
    from lianxin.surveys import selectors

    q = make_questionnaire(world)
    resident = world.users["resident_a"]
    services.questionnaire_answer(actor=resident, questionnaire=q, answers=full_answers(q))
    monkeypatch.setattr(selectors, "has_answered", lambda **kw: False)
    with pytest.raises(ValidationError, match="每人只能填写一次"):
        services.questionnaire_answer(actor=resident, questionnaire=q, answers=full_answers(q))
    assert Response.objects.filter(questionnaire=q, user=resident).count() == 1


def test_move_a_question_up_renumbers(world):
    q = make_questionnaire(world, publish=False)
    third = q.questions.get(order=3)
    services.question_move_up(actor=world.users["village_a"], question=third)
    assert list(q.questions.order_by("order").values_list("kind", flat=True)) == [
        QuestionKind.SINGLE,
        QuestionKind.RATING,
        QuestionKind.MULTIPLE,
        QuestionKind.TEXT,
    ]
    first = q.questions.get(order=1)
    services.question_move_up(actor=world.users["village_a"], question=first)  # stays first
    assert q.questions.get(order=1) == first
