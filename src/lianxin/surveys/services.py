"""Writes of 民意调查: build a questionnaire while it is a draft, publish it (its audience is
notified), close it, and answer it once per person. Each write is one transaction and audited;
every refusal is a ``ValidationError`` (a Chinese message) or ``PermissionDenied``, never a 500."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.core.params import parse_id
from lianxin.org.scoping import user_scope
from lianxin.surveys import selectors
from lianxin.surveys.models import (
    CHOICE_KINDS,
    RATING_RANGE,
    Answer,
    AudienceKind,
    Option,
    Question,
    QuestionKind,
    Questionnaire,
    Response,
    SurveyState,
)
from lianxin.surveys.rules import MANAGE_ROLES

if TYPE_CHECKING:
    from lianxin.accounts.models import User
    from lianxin.events.models import Event
    from lianxin.org.models import Unit

MAX_QUESTIONS = 50
MAX_OPTIONS = 20
MAX_TEXT = 1000


def _require_manage(actor: User, questionnaire: Questionnaire | None = None) -> None:
    if not actor.has_perm("surveys.manage_questionnaire", questionnaire):
        raise PermissionDenied(_("该问卷不在您的管辖范围内。"))


def _require_draft(questionnaire: Questionnaire) -> None:
    if questionnaire.state != SurveyState.DRAFT:
        raise ValidationError(_("问卷已发布，不能再修改题目和对象。"))


def _check_fields(
    actor: User,
    *,
    unit: Unit,
    audience_kind: str,
    audience_unit: Unit | None,
    audience_event: Event | None,
    opens_on: date,
    closes_on: date,
) -> None:
    """Rule: the owner unit is one the actor manages as; the audience (a unit, or an event)
    lies in the owner unit's subtree, so a village cannot poll the next village; the dates run
    forwards."""
    scope = user_scope(actor)
    if not (scope.is_global or any(unit.is_under(u) for u in scope.units_for(*MANAGE_ROLES))):
        raise PermissionDenied(_("该单位不在您的管辖范围内。"))
    if audience_kind == AudienceKind.UNIT:
        if audience_unit is None or not audience_unit.is_under(unit):
            raise ValidationError(_("调查对象须是发起单位或其下属单位的居民。"))
    elif audience_kind == AudienceKind.EVENT:
        if audience_event is None or not audience_event.unit.is_under(unit):
            raise ValidationError(_("调查对象须是发起单位或其下属单位举办的活动。"))
    else:
        raise ValidationError(_("请选择调查对象。"))
    if closes_on < opens_on:
        raise ValidationError(_("截止日期不能早于开始日期。"))


@transaction.atomic
def questionnaire_create(
    *,
    actor: User,
    unit: Unit,
    title: str,
    intro: str = "",
    audience_kind: str = AudienceKind.UNIT,
    audience_unit: Unit | None = None,
    audience_event: Event | None = None,
    opens_on: date,
    closes_on: date,
    request: HttpRequest | None = None,
) -> Questionnaire:
    """A draft questionnaire of ``unit`` (rules in ``_check_fields``)."""
    _require_manage(actor)
    _check_fields(
        actor,
        unit=unit,
        audience_kind=audience_kind,
        audience_unit=audience_unit,
        audience_event=audience_event,
        opens_on=opens_on,
        closes_on=closes_on,
    )
    q = Questionnaire.objects.create(
        unit=unit,
        title=title.strip()[:100],
        intro=intro.strip()[:1000],
        audience_kind=audience_kind,
        audience_unit=audience_unit if audience_kind == AudienceKind.UNIT else None,
        audience_event=audience_event if audience_kind == AudienceKind.EVENT else None,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=actor,
    )
    audit_record(action=AuditAction.CREATE, actor=actor, target=q, request=request)
    return q


@transaction.atomic
def questionnaire_update(
    *,
    actor: User,
    questionnaire: Questionnaire,
    title: str,
    intro: str = "",
    audience_kind: str,
    audience_unit: Unit | None = None,
    audience_event: Event | None = None,
    opens_on: date,
    closes_on: date,
    request: HttpRequest | None = None,
) -> Questionnaire:
    """Edit a draft (a published questionnaire's questions and audience are fixed: answers
    already given must keep meaning what they meant)."""
    q = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    _require_manage(actor, q)
    _require_draft(q)
    _check_fields(
        actor,
        unit=q.unit,
        audience_kind=audience_kind,
        audience_unit=audience_unit,
        audience_event=audience_event,
        opens_on=opens_on,
        closes_on=closes_on,
    )
    q.title, q.intro = title.strip()[:100], intro.strip()[:1000]
    q.audience_kind = audience_kind
    q.audience_unit = audience_unit if audience_kind == AudienceKind.UNIT else None
    q.audience_event = audience_event if audience_kind == AudienceKind.EVENT else None
    q.opens_on, q.closes_on = opens_on, closes_on
    q.save()
    audit_record(action=AuditAction.UPDATE, actor=actor, target=q, request=request)
    return q


@transaction.atomic
def question_add(
    *,
    actor: User,
    questionnaire: Questionnaire,
    kind: str,
    text: str,
    required: bool = True,
    options: Sequence[str] = (),
    request: HttpRequest | None = None,
) -> Question:
    """Add a question to a draft: a choice question needs two to twenty distinct options; a
    rating or text question takes none."""
    q = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    _require_manage(actor, q)
    _require_draft(q)
    if kind not in QuestionKind.values:
        raise ValidationError(_("请选择题型。"))
    text = text.strip()
    if not text:
        raise ValidationError(_("请填写题目。"))
    labels: list[str] = []
    for raw in options:
        label = raw.strip()[:100]
        if label and label not in labels:
            labels.append(label)
    if kind in CHOICE_KINDS:
        if not 2 <= len(labels) <= MAX_OPTIONS:
            raise ValidationError(_("选择题需要 2 到 20 个不同的选项。"))
    else:
        labels = []
    count = q.questions.count()
    if count >= MAX_QUESTIONS:
        raise ValidationError(_("一份问卷最多 50 道题。"))
    question = Question.objects.create(
        questionnaire=q, order=count + 1, kind=kind, text=text[:200], required=required
    )
    Option.objects.bulk_create(
        Option(question=question, order=i, label=label) for i, label in enumerate(labels, 1)
    )
    audit_record(
        action=AuditAction.UPDATE, actor=actor, target=q, reason="question added", request=request
    )
    return question


@transaction.atomic
def question_delete(*, actor: User, question: Question, request: HttpRequest | None = None) -> None:
    """Remove a question from a draft and renumber the rest."""
    q = Questionnaire.objects.select_for_update().get(pk=question.questionnaire_id)
    _require_manage(actor, q)
    _require_draft(q)
    question.delete()
    for i, rest in enumerate(q.questions.order_by("order", "id"), 1):
        if rest.order != i:
            rest.order = i
            rest.save(update_fields=["order"])
    audit_record(
        action=AuditAction.UPDATE, actor=actor, target=q, reason="question removed", request=request
    )


@transaction.atomic
def question_move_up(
    *, actor: User, question: Question, request: HttpRequest | None = None
) -> None:
    """Swap a draft's question with the one before it (the first stays first)."""
    q = Questionnaire.objects.select_for_update().get(pk=question.questionnaire_id)
    _require_manage(actor, q)
    _require_draft(q)
    ordered = list(q.questions.order_by("order", "id"))
    i = next((n for n, x in enumerate(ordered) if x.pk == question.pk), 0)
    if i == 0:
        return
    ordered[i - 1], ordered[i] = ordered[i], ordered[i - 1]
    for n, rest in enumerate(ordered, 1):
        if rest.order != n:
            rest.order = n
            rest.save(update_fields=["order"])
    audit_record(
        action=AuditAction.UPDATE, actor=actor, target=q, reason="question moved", request=request
    )


@transaction.atomic
def questionnaire_publish(
    *, actor: User, questionnaire: Questionnaire, request: HttpRequest | None = None
) -> int:
    """Open a draft with at least one question and notify its audience (the notifications
    app's ``notify``, once per person). Returns the number notified."""
    from lianxin.notifications.i18n import msg
    from lianxin.notifications.models import NotificationKind
    from lianxin.notifications.services import notify

    q = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    _require_manage(actor, q)
    _require_draft(q)
    if not q.questions.exists():
        raise ValidationError(_("请先添加题目再发布。"))
    if q.closes_on < timezone.localdate():
        raise ValidationError(_("截止日期已过，请先修改日期。"))
    q.state = SurveyState.OPEN
    q.published_at = timezone.now()
    q.save(update_fields=["state", "published_at"])
    title_id = gettext_noop("请填写问卷：%(title)s")
    body_id = gettext_noop("%(unit)s邀请您参加民意调查，截止 %(due)s。")
    params = {"title": q.title, "unit": q.unit.name, "due": f"{q.closes_on:%Y-%m-%d}"}
    sent = notify(
        recipients=selectors.audience_users(questionnaire=q),
        kind=NotificationKind.UPDATE,
        title=title_id % params,
        body=body_id % params,
        url=reverse("surveys:answer", args=[q.pk]),
        dedupe_key=f"surveys:{q.pk}:published",
        title_msg=msg(title_id, title=q.title),
        body_msg=msg(body_id, unit=q.unit.name, due=params["due"]),
    )
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        target=q,
        reason="published",
        request=request,
        extra={"notified": len(sent)},
    )
    return len(sent)


@transaction.atomic
def questionnaire_close(
    *, actor: User, questionnaire: Questionnaire, request: HttpRequest | None = None
) -> Questionnaire:
    """Stop taking answers (an open questionnaire only)."""
    q = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    _require_manage(actor, q)
    if q.state != SurveyState.OPEN:
        raise ValidationError(_("只有进行中的问卷可以结束。"))
    q.state = SurveyState.CLOSED
    q.closed_at = timezone.now()
    q.save(update_fields=["state", "closed_at"])
    audit_record(action=AuditAction.UPDATE, actor=actor, target=q, reason="closed", request=request)
    return q


# ------------------------------------------------------------------------------ answering
def _parse(question: Question, raw: Sequence[str]) -> dict[str, Any] | None:
    """One question's submitted values as an answer, None when left blank; a value that is not
    one of the question's own options (or a rating 1–5) is refused."""
    values = [str(v).strip() for v in raw if str(v).strip()]
    if not values:
        return None
    if question.kind in CHOICE_KINDS:
        valid = {o.pk: o for o in question.options.all()}
        picked = []
        for v in values:
            pk = parse_id(v)
            if pk not in valid:
                raise ValidationError(_("“%(q)s”的选项无效。") % {"q": question.text})
            if valid[pk] not in picked:
                picked.append(valid[pk])
        if question.kind == QuestionKind.SINGLE and len(picked) > 1:
            raise ValidationError(_("“%(q)s”只能选一项。") % {"q": question.text})
        return {"options": picked}
    if question.kind == QuestionKind.RATING:
        n = parse_id(values[0])
        if n not in RATING_RANGE or len(values) > 1:
            raise ValidationError(_("“%(q)s”请选择 1 到 5 分。") % {"q": question.text})
        return {"rating": n}
    text = values[0]
    if len(text) > MAX_TEXT:
        raise ValidationError(_("“%(q)s”的回答不能超过 1000 字。") % {"q": question.text})
    return {"text": text}


@transaction.atomic
def questionnaire_answer(
    *,
    actor: User,
    questionnaire: Questionnaire,
    answers: Mapping[int, Sequence[str]],
    request: HttpRequest | None = None,
) -> Response:
    """One person's answers. Rules: only the audience answers (the residents of the unit, or
    the event's attendees); only while open and between its dates; once per person (the
    unique constraint holds it under a double tap too); every required question answered."""
    q = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if not actor.has_perm("surveys.answer_questionnaire", q):
        raise PermissionDenied(_("您不在本问卷的调查对象中。"))
    today = timezone.localdate()
    if q.state != SurveyState.OPEN or not q.opens_on <= today <= q.closes_on:
        if q.state == SurveyState.OPEN and today < q.opens_on:
            raise ValidationError(_("问卷 %(day)s 开始填写。") % {"day": f"{q.opens_on:%Y-%m-%d}"})
        raise ValidationError(_("问卷已截止，感谢您的关注。"))
    if selectors.has_answered(user=actor, questionnaire=q):
        raise ValidationError(_("您已经填写过这份问卷，每人只能填写一次。"))
    parsed: list[tuple[Question, dict[str, Any]]] = []
    for question in selectors.questions_of(questionnaire=q):
        value = _parse(question, answers.get(question.pk, ()))
        if value is None:
            if question.required:
                raise ValidationError(_("请回答第 %(n)s 题。") % {"n": question.order})
            continue
        parsed.append((question, value))
    try:
        with transaction.atomic():
            response = Response.objects.create(
                questionnaire=q, user=actor, submitted_at=timezone.now()
            )
    except IntegrityError:
        raise ValidationError(_("您已经填写过这份问卷，每人只能填写一次。")) from None
    for question, value in parsed:
        answer = Answer.objects.create(
            response=response,
            question=question,
            rating=value.get("rating"),
            text=value.get("text", ""),
        )
        if value.get("options"):
            answer.options.set(value["options"])
    audit_record(
        action=AuditAction.CREATE, actor=actor, target=q, reason="answered", request=request
    )
    return response
