"""Scoped reads of 民意调查: staff see the questionnaires of their subtrees (``visible_to``);
residents see the open questionnaires whose audience they are in; results never name anyone."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from lianxin.accounts.models import User
from lianxin.events import selectors as event_selectors
from lianxin.events.models import Event
from lianxin.org.models import ADMINISTRATIVE_KINDS, GRID_KINDS, Membership, Role, Unit
from lianxin.org.scoping import ancestors_q, under_q, user_scope
from lianxin.people.models import Person
from lianxin.surveys.models import (
    CHOICE_KINDS,
    RATING_RANGE,
    Answer,
    AudienceKind,
    Question,
    QuestionKind,
    Questionnaire,
    Response,
    SurveyState,
)

AUDIENCE_ROLES = (Role.RESIDENT, Role.PARTY_MEMBER)


# ------------------------------------------------------------------------------ audience
def _resident_unit_paths(user: User) -> list[str]:
    """The units a user lives in: their resident entry's and their resident/party memberships'."""
    paths = {m.unit.path for m in user_scope(user).memberships if m.role in AUDIENCE_ROLES}
    paths.update(Person.objects.filter(user=user).values_list("unit__path", flat=True))
    return sorted(p for p in paths if p)


def unit_audience_ids(*, unit: Unit) -> set[int]:
    """The accounts of the residents of ``unit``'s subtree (a resident entry there, or a
    resident or party-member membership there)."""
    ids = set(
        Person.objects.filter(under_q(unit, ("unit",)), user__isnull=False).values_list(
            "user_id", flat=True
        )
    )
    ids.update(
        Membership.objects.active()
        .filter(under_q(unit, ("unit",)), role__in=AUDIENCE_ROLES)
        .values_list("user_id", flat=True)
    )
    return ids


def audience_ids(*, questionnaire: Questionnaire) -> set[int]:
    if questionnaire.audience_kind == AudienceKind.EVENT:
        assert questionnaire.audience_event is not None
        return event_selectors.attendee_user_ids(event=questionnaire.audience_event)
    assert questionnaire.audience_unit is not None
    return unit_audience_ids(unit=questionnaire.audience_unit)


def audience_users(*, questionnaire: Questionnaire) -> QuerySet[User]:
    return User.objects.filter(
        pk__in=sorted(audience_ids(questionnaire=questionnaire)), is_active=True
    ).order_by("pk")


def _audience_q(user: User) -> Q:
    """Questionnaires whose audience includes ``user``: a unit at or above where they live,
    or an event they attended."""
    q = Q(pk__in=[])
    paths = _resident_unit_paths(user)
    if paths:
        q |= Q(audience_kind=AudienceKind.UNIT) & ancestors_q(paths, ("audience_unit",))
    events = event_selectors.attended_event_ids(user=user)
    if events:
        q |= Q(audience_kind=AudienceKind.EVENT, audience_event_id__in=sorted(events))
    return q


def in_audience(*, user: User, questionnaire: Questionnaire) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Questionnaire.objects.filter(_audience_q(user), pk=questionnaire.pk).exists()


# ------------------------------------------------------------------------------ staff
def questionnaire_list(*, user: User, state: str = "") -> QuerySet[Questionnaire]:
    qs = Questionnaire.objects.visible_to(user)
    if state:
        qs = qs.filter(state=state)
    return (
        qs.select_related("unit", "audience_unit", "audience_event")
        .annotate(
            n_responses=Count("responses", distinct=True),
            n_questions=Count("questions", distinct=True),
        )
        .order_by("-opens_on", "-id")
    )


def state_counts(*, user: User) -> dict[str, int]:
    rows = Questionnaire.objects.visible_to(user).order_by().values("state").annotate(n=Count("id"))
    return {r["state"]: r["n"] for r in rows}


def questionnaire_get(*, user: User, pk: int) -> Questionnaire:
    """A questionnaire in the user's staff scope, else 404 (another town's staff see nothing)."""
    q = (
        Questionnaire.objects.visible_to(user)
        .select_related("unit", "audience_unit", "audience_event")
        .filter(pk=pk)
        .first()
    )
    if q is None:
        raise Http404
    return q


def questions_of(*, questionnaire: Questionnaire) -> list[Question]:
    return list(questionnaire.questions.prefetch_related("options").order_by("order", "id"))


def audience_units(*, user: User) -> QuerySet[Unit]:
    """Units a staff user may address a questionnaire to: the towns, villages and grids of
    their subtree (residents live there; a party branch or a department has none of its own)."""
    kinds = sorted(ADMINISTRATIVE_KINDS | GRID_KINDS)
    return Unit.objects.visible_to(user).filter(kind__in=kinds).order_by("path")[:3000]


def audience_events(*, user: User) -> QuerySet[Event]:
    """Events in the user's scope, newest first, whose attendees may be asked."""
    return Event.objects.visible_to(user).select_related("unit").order_by("-starts_at")[:200]


def owner_units(*, user: User) -> list[Unit]:
    """The units a staff user manages as (a questionnaire's 发起单位)."""
    from lianxin.surveys.rules import MANAGE_ROLES

    return user_scope(user).units_for(*MANAGE_ROLES)


# ------------------------------------------------------------------------------ residents
def pending_for(*, user: User, today: date | None = None) -> QuerySet[Questionnaire]:
    """待填问卷: open today, the user in the audience, not answered yet."""
    if not getattr(user, "is_authenticated", False):
        return Questionnaire.objects.none()
    today = today or timezone.localdate()
    return (
        Questionnaire.objects.filter(
            _audience_q(user), state=SurveyState.OPEN, opens_on__lte=today, closes_on__gte=today
        )
        .exclude(responses__user=user)
        .select_related("unit")
        .order_by("closes_on", "id")
    )


def answered_by(*, user: User) -> QuerySet[Questionnaire]:
    if not getattr(user, "is_authenticated", False):
        return Questionnaire.objects.none()
    return (
        Questionnaire.objects.filter(responses__user=user)
        .select_related("unit")
        .order_by("-closes_on", "-id")
    )


def respondable_get(*, user: User, pk: int) -> Questionnaire:
    """A published questionnaire the user is in the audience of, else 404 (a draft, another
    village's questionnaire and a missing one look the same)."""
    q = (
        Questionnaire.objects.filter(_audience_q(user), pk=pk)
        .exclude(state=SurveyState.DRAFT)
        .select_related("unit")
        .first()
        if getattr(user, "is_authenticated", False)
        else None
    )
    if q is None:
        raise Http404
    return q


def has_answered(*, user: User, questionnaire: Questionnaire) -> bool:
    return Response.objects.filter(questionnaire=questionnaire, user=user).exists()


# ------------------------------------------------------------------------------ results
def _pct(n: int, total: int) -> float:
    return round(n * 100 / total, 1) if total else 0.0


def results(*, questionnaire: Questionnaire) -> dict[str, Any]:
    """Per question: each option (or rating 1–5) with its count and percentage of those who
    answered the question; free-text answers without their respondents."""
    total = questionnaire.responses.count()
    questions = questions_of(questionnaire=questionnaire)
    answered = dict(
        Answer.objects.filter(question__questionnaire=questionnaire)
        .exclude(Q(rating__isnull=True) & Q(text="") & Q(options__isnull=True))
        .order_by()
        .values("question_id")
        .annotate(n=Count("response", distinct=True))
        .values_list("question_id", "n")
    )
    option_counts: dict[int, int] = {
        r["option_id"]: r["n"]
        for r in Answer.options.through.objects.filter(
            answer__question__questionnaire=questionnaire
        )
        .order_by()
        .values("option_id")
        .annotate(n=Count("id"))
    }
    ratings: dict[tuple[int, int], int] = {
        (r["question_id"], int(r["rating"] or 0)): r["n"]
        for r in Answer.objects.filter(question__questionnaire=questionnaire, rating__isnull=False)
        .order_by()
        .values("question_id", "rating")
        .annotate(n=Count("id"))
    }
    out = []
    for question in questions:
        n = answered.get(question.pk, 0)
        row: dict[str, Any] = {"question": question, "answered": n, "rows": [], "texts": []}
        if question.kind in CHOICE_KINDS:
            row["rows"] = [
                {"label": o.label, "count": option_counts.get(o.pk, 0)}
                for o in question.options.all()
            ]
        elif question.kind == QuestionKind.RATING:
            row["rows"] = [
                {"label": str(v), "count": ratings.get((question.pk, v), 0)} for v in RATING_RANGE
            ]
            weighted = sum(v * ratings.get((question.pk, v), 0) for v in RATING_RANGE)
            row["average"] = round(weighted / n, 2) if n else None
        else:
            row["texts"] = list(
                Answer.objects.filter(question=question)
                .exclude(text="")
                .order_by("id")
                .values_list("text", flat=True)[:500]
            )
        for r in row["rows"]:
            r["percent"] = _pct(r["count"], n)
        out.append(row)
    return {"total": total, "questions": out}


def response_rows(*, questionnaire: Questionnaire) -> QuerySet[Response]:
    """The responses for the export (numbered, never named)."""
    return questionnaire.responses.prefetch_related("answers__options").order_by(
        "submitted_at", "id"
    )


def unit_questionnaires(*, user: User, unit: Unit) -> QuerySet[Questionnaire]:
    """The questionnaires a unit sent or was asked (owner or audience unit), in the user's scope."""
    return (
        Questionnaire.objects.visible_to(user)
        .filter(Q(unit=unit) | Q(audience_unit=unit))
        .annotate(n_responses=Count("responses"))
        .order_by("-opens_on", "-id")
    )
