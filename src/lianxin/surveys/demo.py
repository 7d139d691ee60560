"""Demo step (after events): two questionnaires — a community's residents asked about their
environment and services (open, about half answered), and the attendees of a past event asked
how it went (closed) — with deterministic responses drawn from ``ctx.rng``."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from lianxin.core.demo import DemoContext
from lianxin.events import selectors as event_selectors
from lianxin.events.models import Event
from lianxin.org.models import Membership, Role, Unit, UnitKind
from lianxin.org.scoping import ancestors_q, under_q
from lianxin.surveys import selectors, services
from lianxin.surveys.models import (
    Answer,
    AudienceKind,
    Question,
    QuestionKind,
    Questionnaire,
    Response,
    SurveyState,
)

DEMO_ORDER = 64

COMMUNITY_QUESTIONS = [
    (QuestionKind.SINGLE, "您对小区的环境卫生满意吗？", ["满意", "基本满意", "不满意"], True),
    (
        QuestionKind.MULTIPLE,
        "您最希望社区增加哪些服务？",
        ["老年助餐", "健身器材", "夜间路灯", "儿童托管", "便民维修"],
        True,
    ),
    (QuestionKind.RATING, "请给社区干部的服务态度打分", [], True),
    (QuestionKind.TEXT, "您还有什么意见和建议？", [], False),
]
EVENT_QUESTIONS = [
    (QuestionKind.SINGLE, "这次活动您觉得怎么样？", ["很好", "还可以", "一般"], True),
    (QuestionKind.RATING, "活动组织安排打几分？", [], True),
    (QuestionKind.MULTIPLE, "以后还想参加哪类活动？", ["文艺演出", "健康讲座", "技能培训"], False),
    (QuestionKind.TEXT, "想对组织者说的话", [], False),
]
SUGGESTIONS = [
    "楼道灯坏了好久，希望尽快修。",
    "希望多组织老年人体检。",
    "垃圾清运能再勤一点。",
    "小区停车太乱，建议划线。",
    "感谢网格员经常上门。",
    "希望增加几把休息座椅。",
]
WEIGHTS = {
    QuestionKind.SINGLE: [6, 3, 1],
    QuestionKind.RATING: [1, 1, 3, 5, 4],
}


def _manager_of(unit: Unit):
    """A staff account that manages ``unit``: its own clerk first, else the nearest level above."""
    m = (
        Membership.objects.active()
        .filter(
            ancestors_q([unit.path], ("unit",)),
            role__in=(Role.VILLAGE_STAFF, Role.TOWN_STAFF, Role.COUNTY_ADMIN),
        )
        .select_related("user")
        .order_by("-unit__depth", "id")
        .first()
    )
    return m.user if m is not None else None


def _build(actor, *, unit, title, intro, audience, opens_on, closes_on, questions):
    q = services.questionnaire_create(
        actor=actor,
        unit=unit,
        title=title,
        intro=intro,
        audience_kind=AudienceKind.EVENT if isinstance(audience, Event) else AudienceKind.UNIT,
        audience_unit=None if isinstance(audience, Event) else audience,
        audience_event=audience if isinstance(audience, Event) else None,
        opens_on=opens_on,
        closes_on=closes_on,
    )
    for kind, text, options, required in questions:
        services.question_add(
            actor=actor, questionnaire=q, kind=kind, text=text, options=options, required=required
        )
    return q


def _respond(ctx: DemoContext, q: Questionnaire, user_ids: list[int], share: float, start) -> int:
    """Responses from ``share`` of ``user_ids`` (sorted first: the draw does not depend on the
    database's order), submitted between ``start`` and now; bulk inserted."""
    rng = ctx.rng
    questions = list(
        Question.objects.filter(questionnaire=q).prefetch_related("options").order_by("order")
    )
    chosen = sorted(rng.sample(sorted(user_ids), k=int(len(user_ids) * share)))
    span = max(int((ctx.now - start).total_seconds()), 3600)
    responses = Response.objects.bulk_create(
        Response(
            questionnaire=q,
            user_id=uid,
            submitted_at=start + timedelta(seconds=rng.randrange(span)),
        )
        for uid in chosen
    )
    answers, picks = [], []
    for response in responses:
        for question in questions:
            opts = list(question.options.all())
            if question.kind == QuestionKind.SINGLE:
                w = WEIGHTS[QuestionKind.SINGLE][: len(opts)]
                answers.append(Answer(response=response, question=question))
                picks.append([rng.choices(opts, weights=w)[0]])
            elif question.kind == QuestionKind.MULTIPLE:
                if not question.required and rng.random() < 0.3:
                    continue
                answers.append(Answer(response=response, question=question))
                picks.append(rng.sample(opts, k=rng.randint(1, min(3, len(opts)))))
            elif question.kind == QuestionKind.RATING:
                rating = rng.choices(range(1, 6), weights=WEIGHTS[QuestionKind.RATING])[0]
                answers.append(Answer(response=response, question=question, rating=rating))
                picks.append([])
            elif rng.random() < 0.35:
                text = rng.choice(SUGGESTIONS)
                answers.append(Answer(response=response, question=question, text=text))
                picks.append([])
    Answer.objects.bulk_create(answers)
    through = Answer.options.through
    through.objects.bulk_create(
        through(answer_id=a.pk, option_id=o.pk)
        for a, opts in zip(answers, picks, strict=True)
        for o in opts
    )
    return len(responses)


def demo_build(ctx: DemoContext) -> None:
    county, now = ctx.county, ctx.now
    today = timezone.localdate(now)
    communities = list(
        Unit.objects.filter(under_q(county, ("",)), kind=UnitKind.COMMUNITY).order_by("code")
    ) or list(Unit.objects.filter(under_q(county, ("",)), kind=UnitKind.VILLAGE).order_by("code"))
    best = None
    for unit in communities[:30]:
        ids = selectors.unit_audience_ids(unit=unit)
        if best is None or len(ids) > len(best[1]):
            best = (unit, ids)
    made = []
    if best is not None and best[1]:
        community, ids = best
        actor = _manager_of(community)
        if actor is not None:
            q = _build(
                actor,
                unit=community,
                title=f"{community.name}居民满意度调查",
                intro="为了把社区服务做得更好，请您花两分钟填写。问卷不记名，结果会在社区公开栏公布。",
                audience=community,
                opens_on=today - timedelta(days=10),
                closes_on=today + timedelta(days=10),
                questions=COMMUNITY_QUESTIONS,
            )
            services.questionnaire_publish(actor=actor, questionnaire=q)
            n = _respond(ctx, q, sorted(ids), 0.5, now - timedelta(days=10))
            made.append(f"{q.title}（{n} 份）")
    event = (
        Event.objects.filter(under_q(county, ("unit",)), ends_at__lt=now - timedelta(days=3))
        .annotate(
            n=Count(
                "registrations",
                filter=Q(
                    registrations__checked_in_at__isnull=False, registrations__user__isnull=False
                ),
            )
        )
        .filter(n__gte=5)
        .order_by("-ends_at", "id")
        .select_related("unit")
        .first()
    )
    if event is not None:
        actor = _manager_of(event.unit)
        if actor is not None:
            held = timezone.localdate(event.ends_at)
            q = _build(
                actor,
                unit=event.unit,
                title=f"“{event.title}”活动回访",
                intro="感谢您参加活动，请告诉我们您的感受。",
                audience=event,
                opens_on=held,
                closes_on=max(held + timedelta(days=3), held),
                questions=EVENT_QUESTIONS,
            )
            ids = event_selectors.attendee_user_ids(event=event)
            n = _respond(ctx, q, sorted(ids), 0.8, event.ends_at)
            closed = SurveyState.CLOSED if q.closes_on < today else SurveyState.OPEN
            Questionnaire.objects.filter(pk=q.pk).update(
                state=closed,
                published_at=event.ends_at,
                closed_at=now if closed == SurveyState.CLOSED else None,
            )
            made.append(f"{q.title}（{n} 份）")
    ctx.log("民意调查：" + ("；".join(made) or "无"))
