"""Thin views of what meetings decide: action items and their progress, handing a decision to
接诉即办, publishing it, the public 村务公开 page, and the A4 minutes and sign-in sheet."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.core import params
from lianxin.core.decorators import permission_required, public_view
from lianxin.core.forms import add_validation_error
from lianxin.core.paging import paginate
from lianxin.core.pdf import PDF_CONTENT_TYPE, render_pdf
from lianxin.deliberation import selectors, services
from lianxin.deliberation.forms import ActionForm, ProgressForm
from lianxin.deliberation.models import ActionStatus
from lianxin.deliberation.views_topics import error_messages


def _back(decision) -> HttpResponse:
    return redirect(
        reverse("deliberation:meeting_detail", args=[decision.item.meeting_id])
        + f"#item-{decision.item_id}"
    )


@permission_required("deliberation.convene_meeting")
@require_POST
def action_add(request, pk: int):
    decision = selectors.decision_get(user=request.user, pk=pk)
    form = ActionForm(request.POST, units=selectors.owner_units(decision=decision))
    if not form.is_valid():
        messages.error(request, _("请填写责任单位、落实事项和完成时限。"))
        return _back(decision)
    d = form.cleaned_data
    owner = selectors.owner_unit_get(decision=decision, pk=d["owner_unit"])
    try:
        if owner is None:
            raise ValidationError(_("责任单位须为本单位、上级单位或其职能部门。"))
        services.action_add(
            actor=request.user,
            decision=decision,
            owner_unit=owner,
            title=d["title"],
            due_on=d["due_on"],
            request=request,
        )
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(request, _("落实事项已添加。"))
    return _back(decision)


@permission_required("deliberation.convene_meeting")
@require_POST
def decision_case(request, pk: int):
    from lianxin.cases.models import Category

    decision = selectors.decision_get(user=request.user, pk=pk)
    category = Category.objects.filter(pk=params.get_id(request.POST, "category"), is_active=True)
    cat = category.first() or Category.objects.filter(is_active=True).order_by("sort_order").first()
    try:
        if cat is None:
            raise ValidationError(_("诉求分类尚未配置。"))
        case = services.decision_to_case(
            actor=request.user, decision=decision, category=cat, request=request
        )
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(request, _("已转入接诉即办：%(code)s") % {"code": case.code})
    return _back(decision)


@permission_required("deliberation.convene_meeting")
@require_POST
def decision_publish(request, pk: int):
    decision = selectors.decision_get(user=request.user, pk=pk)
    publish = request.POST.get("publish", "1") != "0"
    services.decision_publish(
        actor=request.user, decision=decision, publish=publish, request=request
    )
    messages.success(request, _("已在村务公开栏公开。") if publish else _("已撤下公开。"))
    return _back(decision)


@permission_required("deliberation.track_action")
@require_GET
def action_list(request):
    status = params.get_choice(request.GET, "status", [*ActionStatus.values, "overdue"])
    today = timezone.localdate()
    page = paginate(
        request, selectors.action_list(user=request.user, status=status, overdue_on=today)
    )
    return render(
        request,
        "deliberation/action_list.html",
        {
            "page_obj": page,
            "status": status,
            "statuses": [*ActionStatus.choices, ("overdue", _("已逾期"))],
            "today": today,
            "breadcrumbs": [{"label": _("决议落实")}],
        },
    )


@permission_required("deliberation.track_action")
@require_http_methods(["GET", "POST"])
def action_detail(request, pk: int):
    action = selectors.action_get(user=request.user, pk=pk)
    form = ProgressForm(request.POST or None, initial={"progress": action.progress})
    may_track = request.user.has_perm("deliberation.track_action", action)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(
                actor=request.user, action=action, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("进展已更新。"))
            return redirect("deliberation:action_detail", pk=pk)
    return render(
        request,
        "deliberation/action_detail.html",
        {
            "action": action,
            "updates": list(action.updates.select_related("actor")),
            "form": form,
            "may_track": may_track,
            "overdue": action.is_overdue(),
            "breadcrumbs": [
                {"label": _("决议落实"), "url": reverse("deliberation:action_list")},
                {"label": action.title},
            ],
        },
    )


@public_view
@require_GET
def public_board(request, code: str):
    """村务公开: a community's published decisions, their progress and who is responsible. No
    personal data: unit names, meeting titles, vote figures and progress notes only."""
    village = selectors.public_village(code=params.clean_text(code, max_length=40))
    if village is None:
        raise Http404
    return render(
        request,
        "deliberation/public_board.html",
        {
            "village": village,
            "decisions": selectors.public_decisions(village=village),
            "today": timezone.localdate(),
        },
    )


def _pdf(request, meeting, template: str, name: str, reason: str) -> HttpResponse:
    context = {
        "meeting": meeting,
        "items": selectors.meeting_items(meeting=meeting),
        "roster": selectors.roster(meeting=meeting),
        "quorum": services.quorum(meeting),
    }
    body = render_pdf(template, context)
    audit_record(
        action=AuditAction.EXPORT,
        actor=request.user,
        target=meeting,
        reason=reason,
        request=request,
    )
    response = HttpResponse(body, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{name}-{meeting.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@permission_required("deliberation.convene_meeting")
@require_GET
def minutes_pdf(request, pk: int):
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    return _pdf(request, meeting, "deliberation/pdf/minutes.html", "minutes", "minutes pdf")


@permission_required("deliberation.convene_meeting")
@require_GET
def signin_pdf(request, pk: int):
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    return _pdf(request, meeting, "deliberation/pdf/signin.html", "signin", "sign-in sheet pdf")
