"""Questionnaires in town A's subtree (东关社区), built through the services."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from lianxin.surveys import services
from lianxin.surveys.models import AudienceKind, QuestionKind


def make_questionnaire(world, *, publish=True, audience_unit=None, event=None, actor=None, **kw):
    actor = actor or world.users["village_a"]
    today = timezone.localdate()
    q = services.questionnaire_create(
        actor=actor,
        unit=kw.pop("unit", world.village_a),
        title=kw.pop("title", "东关社区环境满意度调查"),
        intro="请您花两分钟填写。",
        audience_kind=AudienceKind.EVENT if event else AudienceKind.UNIT,
        audience_unit=None if event else (audience_unit or world.village_a),
        audience_event=event,
        opens_on=kw.pop("opens_on", today - timedelta(days=1)),
        closes_on=kw.pop("closes_on", today + timedelta(days=7)),
    )
    services.question_add(
        actor=actor,
        questionnaire=q,
        kind=QuestionKind.SINGLE,
        text="您对小区卫生满意吗？",
        options=["满意", "一般", "不满意"],
    )
    services.question_add(
        actor=actor,
        questionnaire=q,
        kind=QuestionKind.MULTIPLE,
        text="您希望增加哪些设施？",
        options=["健身器材", "路灯", "座椅"],
        required=False,
    )
    services.question_add(
        actor=actor, questionnaire=q, kind=QuestionKind.RATING, text="给社区服务打分"
    )
    services.question_add(
        actor=actor, questionnaire=q, kind=QuestionKind.TEXT, text="其他建议", required=False
    )
    if publish:
        services.questionnaire_publish(actor=actor, questionnaire=q)
        q.refresh_from_db()
    return q


def full_answers(q, *, single=0, multiple=(0, 1), rating="4", text="多装几盏路灯"):
    questions = list(q.questions.prefetch_related("options").order_by("order"))
    s, m, r, t = questions
    s_opts, m_opts = list(s.options.all()), list(m.options.all())
    return {
        s.pk: [str(s_opts[single].pk)],
        m.pk: [str(m_opts[i].pk) for i in multiple],
        r.pk: [rating],
        t.pk: [text],
    }
