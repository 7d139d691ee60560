"""Exports of one questionnaire through the shared mechanism (``lianxin.jobs.exports``): its
results per option, and its responses one row each (numbered, never named). Text cells are
written as strings, never formulas; every export is audited here."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lianxin.accounts.models import User
from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.core.spreadsheets import Column, Sheet
from lianxin.surveys import selectors
from lianxin.surveys.models import CHOICE_KINDS, Question, QuestionKind, Response

RESULTS_BUILDER = "lianxin.surveys.exports.results_sheets"
RESPONSES_BUILDER = "lianxin.surveys.exports.responses_sheets"


def results_sheets(*, actor: User, params: dict, request=None) -> tuple[str, list[Sheet]]:
    """Export builder: each question's options (or ratings) with counts and shares, then the
    free-text answers; staff over the owner unit only (``questionnaire_get``); audited."""
    q = selectors.questionnaire_get(user=actor, pk=params["pk"])
    res = selectors.results(questionnaire=q)
    audit_record(
        action=AuditAction.EXPORT, actor=actor, target=q, reason="survey results", request=request
    )
    rows = []
    for item in res["questions"]:
        question = item["question"]
        for r in item["rows"]:
            rows.append((question.order, question.text, r["label"], r["count"], r["percent"] / 100))
        for text in item["texts"]:
            rows.append((question.order, question.text, text, None, None))
    sheet = Sheet(
        q.title + " · " + _("答卷 %(n)s 份") % {"n": res["total"]},
        [
            Column(_("题号"), None, kind="int", width=6),
            Column(_("题目"), None, width=30),
            Column(_("选项 / 回答"), None, width=36),
            Column(_("人数"), None, kind="int", width=8),
            Column(_("占比"), None, kind="percent", width=8),
        ],
        rows,
        scope=q.unit.name,
        name=_("调查结果"),
    )
    return _("问卷结果-%(title)s.xlsx") % {"title": q.title}, [sheet]


def _answer_text(question: Question, response: Response) -> str:
    for a in response.answers.all():
        if a.question_id != question.pk:
            continue
        if question.kind in CHOICE_KINDS:
            return "；".join(o.label for o in a.options.all())
        if question.kind == QuestionKind.RATING:
            return "" if a.rating is None else str(a.rating)
        return a.text
    return ""


def responses_rows(*, actor: User, params: dict):
    q = selectors.questionnaire_get(user=actor, pk=params["pk"])
    return selectors.response_rows(questionnaire=q)


def responses_sheets(*, actor: User, params: dict, request=None) -> tuple[str, list[Sheet]]:
    """Export builder: one row per response (a number and the time, no name or account), one
    column per question; audited."""
    q = selectors.questionnaire_get(user=actor, pk=params["pk"])
    questions = selectors.questions_of(questionnaire=q)
    audit_record(
        action=AuditAction.EXPORT,
        actor=actor,
        target=q,
        reason="survey responses",
        request=request,
    )
    columns = [
        Column(_("序号"), lambda r: r[0], kind="int", width=6),
        Column(_("提交时间"), lambda r: r[1].submitted_at, kind="datetime", width=17),
    ]
    for question in questions:
        columns.append(
            Column(
                f"{question.order}. {question.text}"[:60],
                lambda r, qn=question: _answer_text(qn, r[1]),
                width=24,
            )
        )
    rows = ((i, r) for i, r in enumerate(selectors.response_rows(questionnaire=q), 1))
    sheet = Sheet(q.title, columns, rows, scope=q.unit.name, name=_("答卷明细"))
    return _("问卷答卷-%(title)s.xlsx") % {"title": q.title}, [sheet]
