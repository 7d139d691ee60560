"""Staff pages of 民意调查: the list, the builder (questionnaire, questions, options), publish
and close, the results with their chart, and the two exports. Thin over services/selectors."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lianxin.core import params
from lianxin.core.decorators import permission_required
from lianxin.core.forms import add_validation_error
from lianxin.core.paging import paginate
from lianxin.events.models import Event
from lianxin.jobs.exports import export_response
from lianxin.org.models import Unit
from lianxin.surveys import exports, selectors, services
from lianxin.surveys.charts import bars_svg
from lianxin.surveys.forms import QuestionForm, QuestionnaireForm
from lianxin.surveys.models import AudienceKind, SurveyState

PERM = "surveys.manage_questionnaire"


def _crumbs(*extra):
    return [{"label": _("民意调查"), "url": reverse("surveys:list")}, *extra]


def _get(request, pk: int):
    q = selectors.questionnaire_get(user=request.user, pk=pk)
    if not request.user.has_perm(PERM, q):
        raise Http404
    return q


def _error(request, exc: ValidationError) -> None:
    for m in exc.messages:
        messages.error(request, m)


@permission_required(PERM)
@require_GET
def questionnaire_list(request):
    state = params.get_str(request.GET, "state", max_length=10)
    if state not in SurveyState.values:
        state = ""
    page = paginate(request, selectors.questionnaire_list(user=request.user, state=state))
    counts = selectors.state_counts(user=request.user)
    return render(
        request,
        "surveys/list.html",
        {
            "page_obj": page,
            "state": state,
            "states": [(v, label, counts.get(v, 0)) for v, label in SurveyState.choices],
            "breadcrumbs": [{"label": _("民意调查")}],
        },
    )


def _form(request, *, instance=None):
    user = request.user
    units = list(selectors.audience_units(user=user))
    events = list(selectors.audience_events(user=user))
    initial = {"audience_kind": AudienceKind.UNIT}
    if instance is not None:
        initial = {
            "title": instance.title,
            "intro": instance.intro,
            "audience_kind": instance.audience_kind,
            "audience_unit": instance.audience_unit_id,
            "audience_event": instance.audience_event_id,
            "opens_on": instance.opens_on,
            "closes_on": instance.closes_on,
        }
    form = QuestionnaireForm(
        request.POST or None,
        initial=initial,
        owners=selectors.owner_units(user=user),
        units=units,
        events=events,
        editing=instance is not None,
    )
    return form, {u.pk: u for u in units}, {e.pk: e for e in events}


def _audience(data, units: dict[int, Unit], events: dict[int, Event]):
    unit = units.get(data.get("audience_unit") or 0)
    event = events.get(data.get("audience_event") or 0)
    return unit, event


@permission_required(PERM)
@require_http_methods(["GET", "POST"])
def questionnaire_new(request):
    form, units, events = _form(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        owner = next(
            (u for u in selectors.owner_units(user=request.user) if u.pk == data["unit"]), None
        )
        audience_unit, audience_event = _audience(data, units, events)
        try:
            if owner is None:
                raise PermissionDenied
            q = services.questionnaire_create(
                actor=request.user,
                unit=owner,
                title=data["title"],
                intro=data["intro"],
                audience_kind=data["audience_kind"],
                audience_unit=audience_unit,
                audience_event=audience_event,
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                request=request,
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("问卷已创建，请添加题目。"))
            return redirect("surveys:detail", pk=q.pk)
    return render(
        request,
        "surveys/form.html",
        {"form": form, "breadcrumbs": _crumbs({"label": _("新建问卷")})},
    )


@permission_required(PERM)
@require_http_methods(["GET", "POST"])
def questionnaire_edit(request, pk: int):
    q = _get(request, pk)
    if q.state != SurveyState.DRAFT:
        messages.error(request, _("问卷已发布，不能再修改题目和对象。"))
        return redirect("surveys:detail", pk=q.pk)
    form, units, events = _form(request, instance=q)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        audience_unit, audience_event = _audience(data, units, events)
        try:
            services.questionnaire_update(
                actor=request.user,
                questionnaire=q,
                title=data["title"],
                intro=data["intro"],
                audience_kind=data["audience_kind"],
                audience_unit=audience_unit,
                audience_event=audience_event,
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                request=request,
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("surveys:detail", pk=q.pk)
    return render(
        request,
        "surveys/form.html",
        {
            "form": form,
            "questionnaire": q,
            "breadcrumbs": _crumbs(
                {"label": q.title, "url": reverse("surveys:detail", args=[q.pk])}
            ),
        },
    )


@permission_required(PERM)
@require_GET
def questionnaire_detail(request, pk: int):
    q = _get(request, pk)
    return render(
        request,
        "surveys/detail.html",
        {
            "questionnaire": q,
            "questions": selectors.questions_of(questionnaire=q),
            "question_form": QuestionForm(initial={"required": True}),
            "responses": q.responses.count(),
            "audience": len(selectors.audience_ids(questionnaire=q)),
            "breadcrumbs": _crumbs({"label": q.title}),
        },
    )


@permission_required(PERM)
@require_POST
def question_add(request, pk: int):
    q = _get(request, pk)
    form = QuestionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.question_add(
                actor=request.user,
                questionnaire=q,
                kind=data["kind"],
                text=data["text"],
                required=data["required"],
                options=form.option_lines(),
                request=request,
            )
        except ValidationError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("题目已添加。"))
    else:
        messages.error(request, _("请检查题目内容。"))
    return redirect("surveys:detail", pk=q.pk)


def _question(request, pk: int, qid: int):
    """The questionnaire the user manages and one of its questions (404 otherwise)."""
    q = _get(request, pk)
    question = q.questions.filter(pk=qid).first()
    if question is None:
        raise Http404
    return q, question


@permission_required(PERM)
@require_POST
def question_delete(request, pk: int, qid: int):
    q, question = _question(request, pk, qid)
    try:
        services.question_delete(actor=request.user, question=question, request=request)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("题目已删除。"))
    return redirect("surveys:detail", pk=q.pk)


@permission_required(PERM)
@require_POST
def question_up(request, pk: int, qid: int):
    q, question = _question(request, pk, qid)
    try:
        services.question_move_up(actor=request.user, question=question, request=request)
    except ValidationError as exc:
        _error(request, exc)
    return redirect("surveys:detail", pk=q.pk)


@permission_required(PERM)
@require_POST
def questionnaire_publish(request, pk: int):
    q = _get(request, pk)
    try:
        n = services.questionnaire_publish(actor=request.user, questionnaire=q, request=request)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(
            request,
            ngettext("问卷已发布，已通知 %(n)s 人。", "问卷已发布，已通知 %(n)s 人。", n)
            % {"n": n},
        )
    return redirect("surveys:detail", pk=q.pk)


@permission_required(PERM)
@require_POST
def questionnaire_close(request, pk: int):
    q = _get(request, pk)
    try:
        services.questionnaire_close(actor=request.user, questionnaire=q, request=request)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("问卷已结束。"))
    return redirect("surveys:results", pk=q.pk)


@permission_required(PERM)
@require_GET
def questionnaire_results(request, pk: int):
    q = _get(request, pk)
    res = selectors.results(questionnaire=q)
    audience = len(selectors.audience_ids(questionnaire=q))
    for item in res["questions"]:
        item["svg"] = (
            bars_svg(title=item["question"].text, rows=item["rows"]) if item["rows"] else ""
        )
    return render(
        request,
        "surveys/results.html",
        {
            "questionnaire": q,
            "results": res,
            "audience": audience,
            "rate": round(res["total"] * 100 / audience, 1) if audience else None,
            "breadcrumbs": _crumbs(
                {"label": q.title, "url": reverse("surveys:detail", args=[q.pk])},
                {"label": _("调查结果")},
            ),
        },
    )


@permission_required(PERM)
@require_GET
def results_export(request, pk: int):
    q = _get(request, pk)
    return export_response(
        request,
        builder=exports.RESULTS_BUILDER,
        params={"pk": q.pk},
        rows=q.questions.count() * 6,
        title=_("导出调查结果"),
        kind="surveys.results",
        unit=q.unit,
    )


@permission_required(PERM)
@require_GET
def responses_export(request, pk: int):
    q = _get(request, pk)
    return export_response(
        request,
        builder=exports.RESPONSES_BUILDER,
        params={"pk": q.pk},
        rows=q.responses.count(),
        title=_("导出答卷明细"),
        kind="surveys.responses",
        unit=q.unit,
    )
