"""Residents' pages of 民意调查 (phones first, big tap targets): 待填问卷 and the answering page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lianxin.core.decorators import login_required
from lianxin.surveys import selectors, services
from lianxin.surveys.models import SurveyState


@login_required
@require_GET
def mine(request):
    return render(
        request,
        "surveys/mine.html",
        {
            "pending": selectors.pending_for(user=request.user)[:50],
            "answered": selectors.answered_by(user=request.user)[:20],
            "breadcrumbs": [{"label": _("待填问卷")}],
        },
    )


def _submitted(request, questions) -> dict[int, list[str]]:
    return {q.pk: request.POST.getlist(f"q{q.pk}")[:25] for q in questions}


@login_required
@require_http_methods(["GET", "POST"])
def answer(request, pk: int):
    q = selectors.respondable_get(user=request.user, pk=pk)
    questions = selectors.questions_of(questionnaire=q)
    done = selectors.has_answered(user=request.user, questionnaire=q)
    today = timezone.localdate()
    is_open = q.is_open_on(today)
    values: dict[int, list[str]] = {}
    error = ""
    if request.method == "POST":
        values = _submitted(request, questions)
        try:
            services.questionnaire_answer(
                actor=request.user, questionnaire=q, answers=values, request=request
            )
        except (ValidationError, PermissionDenied) as exc:
            error = "；".join(getattr(exc, "messages", None) or [str(exc) or _("无法提交。")])
            done = selectors.has_answered(user=request.user, questionnaire=q)
        else:
            messages.success(request, _("提交成功，感谢您的参与！"))
            return redirect("surveys:mine")
    if q.state == SurveyState.OPEN and today < q.opens_on:
        note = _("问卷 %(day)s 开始填写。") % {"day": f"{q.opens_on:%Y-%m-%d}"}
    elif not is_open:
        note = _("问卷已截止，感谢您的关注。")
    elif done:
        note = _("您已经填写过这份问卷，每人只能填写一次。")
    else:
        note = ""
    return render(
        request,
        "surveys/answer.html",
        {
            "questionnaire": q,
            "questions": questions,
            "values": {str(k): v for k, v in values.items()},
            "error": error,
            "note": note,
            "can_answer": is_open and not done,
            "breadcrumbs": [
                {"label": _("待填问卷"), "url": reverse("surveys:mine")},
                {"label": q.title},
            ],
        },
        status=400 if error else 200,
    )
