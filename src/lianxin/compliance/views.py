"""Thin views of 阵地规范化: signage campaigns and checks, inspections, the task list.

Who may act is ``compliance.rules``; the services check the same rule on the object.
URL paths stay under /venues/ (they are behaviour), named ``compliance:``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lianxin.compliance import selectors, services
from lianxin.compliance.forms import ChecklistForm, TaskCloseForm
from lianxin.compliance.models import SignageStatus
from lianxin.core import params
from lianxin.core.decorators import permission_required
from lianxin.core.forms import add_validation_error
from lianxin.core.paging import paginate
from lianxin.venues import selectors as venue_selectors
from lianxin.venues.forms import CampaignForm, PhotoForm
from lianxin.venues.models import PhotoKind


def _int(value) -> int | None:
    """An id from the request (core.params: bad or out of range is None)."""
    return params.parse_id(value)


def _crumbs(*items):
    return [{"label": _("阵地档案"), "url": reverse("venues:venue_list")}, *items]


# --- signage (挂牌、制度上墙) ------------------------------------------------------------------


@permission_required("venues.view_venue")
@require_http_methods(["GET", "POST"])
def signage_list(request):
    form = CampaignForm(request.POST or None)
    if request.method == "POST":
        # Rule compliance.open_signage on the unit the campaign covers (compliance.rules).
        unit = venue_selectors.campaign_home_unit(user=request.user)
        if unit is None or not request.user.has_perm("compliance.open_signage", unit):
            raise PermissionDenied("compliance.open_signage")
        if form.is_valid():
            try:
                campaign = services.signage_campaign_open(
                    actor=request.user, unit=unit, **form.cleaned_data
                )
            except ValidationError as exc:
                add_validation_error(form, exc)
            else:
                return redirect("compliance:signage_detail", pk=campaign.pk)
    return render(
        request,
        "compliance/signage_list.html",
        {
            "campaigns": selectors.signage_campaign_list(user=request.user),
            "form": form,
            "breadcrumbs": _crumbs({"label": _("挂牌整治")}),
        },
        status=422 if request.method == "POST" else 200,
    )


@permission_required("venues.view_venue")
@require_GET
def signage_detail(request, pk: int):
    campaign = selectors.signage_campaign_get(user=request.user, pk=pk)
    status = params.get_str(request.GET, "status", max_length=20, default="to_rectify")
    return render(
        request,
        "compliance/signage_detail.html",
        {
            "campaign": campaign,
            "status": status,
            "statuses": SignageStatus.choices,
            "progress": selectors.signage_progress(user=request.user, campaign=campaign),
            "page_obj": paginate(
                request,
                selectors.signage_checks(user=request.user, campaign=campaign, status=status),
                20,
            ),
            "unchecked": selectors.signage_unchecked(user=request.user, campaign=campaign)[:30],
            "breadcrumbs": _crumbs(
                {"label": _("挂牌整治"), "url": reverse("compliance:signage_list")},
                {"label": campaign.name},
            ),
        },
    )


@permission_required("compliance.check_signage")
@require_http_methods(["GET", "POST"])
def signage_check(request, pk: int, venue_id: int):
    """Phone form: tick what hangs, list anything extra; missing/extra become tasks."""
    campaign = selectors.signage_campaign_get(user=request.user, pk=pk)
    venue = venue_selectors.venue_get(user=request.user, pk=venue_id)
    check = selectors.signage_check_for(campaign=campaign, venue=venue)
    error = ""
    if request.method == "POST":
        present = set(params.get_ids(request.POST, "present", limit=1000))
        extras = request.POST.get("extras", "").splitlines()
        try:
            services.signage_check_submit(
                actor=request.user,
                campaign=campaign,
                venue=venue,
                present=present,
                extras=extras,
                notes=request.POST.get("notes", ""),
            )
        except ValidationError as exc:
            error = "；".join(exc.messages)
        else:
            messages.success(request, _("挂牌检查已保存。"))
            return redirect("compliance:signage_check", pk=campaign.pk, venue_id=venue.pk)
    present_ids, extras = selectors.signage_check_marks(check=check)
    return render(
        request,
        "compliance/signage_check.html",
        {
            "campaign": campaign,
            "venue": venue,
            "check": check,
            "error": error,
            "standards": selectors.signage_standards(),
            "present_ids": present_ids,
            "extras": extras,
            "photo_form": PhotoForm(initial={"kind": PhotoKind.BEFORE}),
            "breadcrumbs": _crumbs(
                {
                    "label": campaign.name,
                    "url": reverse("compliance:signage_detail", args=[campaign.pk]),
                },
                {"label": venue.name},
            ),
        },
        status=422 if error else 200,
    )


# --- inspections and rectification tasks -----------------------------------------------------


@permission_required("venues.view_venue")
@require_GET
def inspection_overview(request):
    return render(
        request,
        "compliance/inspection_overview.html",
        {
            "trend": selectors.inspection_scores_by_town(user=request.user),
            "page_obj": paginate(request, selectors.inspection_list(user=request.user), 20),
            "checklists": selectors.checklists(),
            "breadcrumbs": _crumbs({"label": _("实地指导")}),
        },
    )


@permission_required("compliance.manage_checklist")
@require_http_methods(["GET", "POST"])
def checklist_create(request):
    form = ChecklistForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.checklist_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("检查清单已保存。"))
            return redirect("compliance:inspection_overview")
    return render(
        request,
        "compliance/checklist_form.html",
        {
            "form": form,
            "breadcrumbs": _crumbs(
                {"label": _("实地指导"), "url": reverse("compliance:inspection_overview")},
                {"label": _("新建检查清单")},
            ),
        },
    )


@permission_required("compliance.inspect")
@require_http_methods(["GET", "POST"])
def inspection_create(request, pk: int):
    """The inspector's phone form at the venue: a score per item, notes, photos."""
    venue = venue_selectors.venue_get(user=request.user, pk=pk)
    lists = list(selectors.checklists(active_only=True))
    chosen = _int(request.POST.get("checklist") or request.GET.get("checklist")) or (
        lists[0].pk if lists else None
    )
    if chosen is None:
        raise Http404
    checklist = selectors.checklist_get(pk=chosen)
    error = ""
    values: dict[int, tuple[int, str]] = {}
    if request.method == "POST":
        for item in checklist.items.all():
            score = params.get_int(request.POST, f"score_{item.pk}", min_value=0, max_value=32767)
            if score is not None:
                values[item.pk] = (score, request.POST.get(f"note_{item.pk}", ""))
        try:
            inspection = services.inspection_record(
                actor=request.user,
                venue=venue,
                checklist=checklist,
                scores=values,
                notes=request.POST.get("notes", ""),
                photos=request.FILES.getlist("photos")[:6],
            )
        except ValidationError as exc:
            error = "；".join(exc.messages)
        else:
            messages.success(request, _("指导记录已保存。"))
            return redirect("compliance:inspection_detail", pk=inspection.pk)
    return render(
        request,
        "compliance/inspection_form.html",
        {
            "venue": venue,
            "checklist": checklist,
            "checklists": lists,
            "error": error,
            "values": values,
            "breadcrumbs": _crumbs(
                {"label": venue.name, "url": reverse("venues:venue_detail", args=[venue.pk])},
                {"label": _("实地指导")},
            ),
        },
        status=422 if error else 200,
    )


@permission_required("venues.view_venue")
@require_GET
def inspection_detail(request, pk: int):
    inspection = selectors.inspection_get(user=request.user, pk=pk)
    return render(
        request,
        "compliance/inspection_detail.html",
        {
            "inspection": inspection,
            "form": TaskCloseForm(),
            "breadcrumbs": _crumbs(
                {"label": _("实地指导"), "url": reverse("compliance:inspection_overview")},
                {"label": str(inspection)},
            ),
        },
    )


@permission_required("venues.view_venue")
@require_GET
def task_list(request):
    state = params.get_str(request.GET, "state", max_length=20, default="open")
    return render(
        request,
        "compliance/task_list.html",
        {
            "page_obj": paginate(request, selectors.task_list(user=request.user, state=state), 30),
            "state": state,
            "today": timezone.localdate(),
            "form": TaskCloseForm(),
            "breadcrumbs": _crumbs({"label": _("整改任务")}),
        },
    )
