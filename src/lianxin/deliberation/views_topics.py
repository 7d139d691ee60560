"""Thin views of 议题: the staff list, the resident's phone pages, raising, 附议, closing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lianxin.core import params
from lianxin.core.decorators import permission_required
from lianxin.core.forms import add_validation_error
from lianxin.core.paging import paginate
from lianxin.deliberation import selectors, services
from lianxin.deliberation.forms import StaffTopicForm, TopicForm, fresh_form_token
from lianxin.deliberation.models import TopicStatus
from lianxin.org.scoping import user_scope


def error_messages(request, exc: ValidationError) -> None:
    for msg in exc.messages:
        messages.error(request, msg)


@permission_required("deliberation.view_topics")
@require_GET
def topic_list(request):
    status = params.get_choice(request.GET, "status", TopicStatus.values)
    q = params.get_str(request.GET, "q")
    page = paginate(request, selectors.topic_list(user=request.user, status=status, q=q))
    counts = selectors.topic_status_counts(user=request.user)
    return render(
        request,
        "deliberation/topic_list.html",
        {
            "page_obj": page,
            "status": status,
            "q": q,
            "statuses": [(v, label, counts.get(v, 0)) for v, label in TopicStatus.choices],
            "breadcrumbs": [{"label": _("议题")}],
        },
    )


@permission_required("deliberation.view_area")
@require_GET
def area_topics(request):
    """A resident's 议事 page on the phone: the topics of their village, to support or follow."""
    status = params.get_choice(request.GET, "status", TopicStatus.values)
    page = paginate(request, selectors.topic_area_list(user=request.user, status=status))
    return render(
        request,
        "deliberation/area_topics.html",
        {"page_obj": page, "status": status, "statuses": TopicStatus.choices},
    )


@permission_required("deliberation.raise_topic")
@require_http_methods(["GET", "POST"])
def topic_new(request):
    staff = user_scope(request.user).is_staff
    units = selectors.convene_units(user=request.user) if staff else ()
    form_class = StaffTopicForm if staff else TopicForm
    kwargs = {"units": units} if staff else {}
    form = form_class(request.POST or None, initial={"key": fresh_form_token()}, **kwargs)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        unit = None
        if staff:
            unit = next((u for u in units if u.pk == d["unit"]), None)
            if unit is None:
                raise PermissionDenied
        try:
            topic = services.topic_raise(
                actor=request.user,
                title=d["title"],
                content=d["content"],
                unit=unit,
                submission_key=d["key"],
                request=request,
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("议题已提出，邻居们可以附议。"))
            return redirect("deliberation:topic_detail", pk=topic.pk)
    return render(
        request,
        "deliberation/topic_form.html",
        {"form": form, "staff": staff, "breadcrumbs": [{"label": _("提出议题")}]},
    )


@permission_required("deliberation.raise_topic")
@require_GET
def topic_detail(request, pk: int):
    topic = selectors.topic_get(user=request.user, pk=pk)
    user = request.user
    return render(
        request,
        "deliberation/topic_detail.html",
        {
            "topic": topic,
            "outcome": selectors.topic_outcome(topic=topic),
            "supported": selectors.has_supported(user=user, topic=topic),
            "may_support": user.has_perm("deliberation.support_topic", topic)
            and topic.status in services.topics.SUPPORTABLE,
            "may_convene": user.has_perm("deliberation.convene_meeting", topic),
            "is_staff": user_scope(user).is_staff,
            "breadcrumbs": [
                {"label": _("议题"), "url": reverse("deliberation:topic_list")},
                {"label": topic.title},
            ]
            if user_scope(user).is_staff
            else [{"label": topic.title}],
        },
    )


@permission_required("deliberation.support_topic")
@require_POST
def topic_support(request, pk: int):
    topic = selectors.topic_get(user=request.user, pk=pk)
    try:
        services.topic_support(actor=request.user, topic=topic, request=request)
    except ValidationError as exc:
        error_messages(request, exc)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("只有本社区（村）的居民可以附议。"))
    else:
        messages.success(request, _("已附议。"))
    return redirect("deliberation:topic_detail", pk=pk)


@permission_required("deliberation.convene_meeting")
@require_POST
def topic_close(request, pk: int):
    topic = selectors.topic_get(user=request.user, pk=pk)
    try:
        services.topic_close(actor=request.user, topic=topic, request=request)
    except ValidationError as exc:
        error_messages(request, exc)
    else:
        messages.success(request, _("议题已办结。"))
    return redirect("deliberation:topic_detail", pk=pk)


def _from_origin(request, origin, make, back: str):
    """GET: confirm turning a request or a visit into a topic; POST: do it (once)."""
    if request.method == "POST":
        topic = make(actor=request.user, request=request)
        messages.success(request, _("已转为议题。"))
        return redirect("deliberation:topic_detail", pk=topic.pk)
    return render(
        request,
        "deliberation/topic_from.html",
        {"origin": origin, "back": back, "breadcrumbs": [{"label": _("提交议事协商")}]},
    )


@permission_required("deliberation.view_topics")
@require_http_methods(["GET", "POST"])
def topic_from_case(request, pk: int):
    from lianxin.cases.models import Case

    case = Case.objects.visible_to(request.user).filter(pk=pk).first()
    if case is None:
        raise Http404

    def make(**kw):
        return services.topic_from_case(case=case, **kw)

    return _from_origin(request, case, make, reverse("cases:case_detail", args=[pk]))


@permission_required("deliberation.view_topics")
@require_http_methods(["GET", "POST"])
def topic_from_visit(request, pk: int):
    from lianxin.visits import selectors as visit_selectors

    visit = visit_selectors.visits_visible(request.user).filter(pk=pk).first()
    if visit is None:
        raise Http404

    def make(**kw):
        return services.topic_from_visit(visit=visit, **kw)

    return _from_origin(request, visit, make, reverse("visits:visit_detail", args=[pk]))
