"""Thin views of 提升计划."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lianxin.core import params
from lianxin.core.decorators import permission_required
from lianxin.core.forms import add_validation_error
from lianxin.core.paging import paginate
from lianxin.venues import selectors, services
from lianxin.venues.forms import (
    PhotoForm,
    PlanForm,
)
from lianxin.venues.models import (
    PhotoKind,
    PlanStatus,
)

# --- upgrade plans ----------------------------------------------------------------------------


def plan_filters(query) -> dict:
    """The plan list's filters from its query string (JSON-able); its .xlsx export
    (``compliance.exports.plan_sheets``) reads them here too, so the file holds the list's rows."""
    return {
        "year": params.get_year(query, "year"),
        "status": params.get_str(query, "status", max_length=20),
    }


@permission_required("venues.view_plan")
@require_GET
def plan_list(request):
    f = plan_filters(request.GET)
    year, status = f["year"], f["status"]
    return render(
        request,
        "venues/plan_list.html",
        {
            "summary": selectors.plan_summary_by_year(user=request.user),
            "flagged": selectors.venues_hazard_without_plan(user=request.user)[:50],
            "page_obj": paginate(
                request, selectors.plan_list(user=request.user, year=year, status=status), 30
            ),
            "year": year,
            "status": status,
            "statuses": PlanStatus.choices,
            "years": selectors.plan_years(user=request.user),
            "breadcrumbs": [{"label": _("提升计划")}],
        },
    )


@permission_required("venues.manage_plan")
@require_http_methods(["GET", "POST"])
def plan_create(request, pk: int):
    venue = selectors.venue_get(user=request.user, pk=pk)
    form = PlanForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_save(
                actor=request.user, venue=venue, values=form.cleaned_data, request=request
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("提升计划已保存。"))
            return redirect("venues:plan_detail", pk=plan.pk)
    return render(
        request,
        "venues/plan_form.html",
        {
            "form": form,
            "venue": venue,
            "breadcrumbs": [
                {"label": _("提升计划"), "url": reverse("venues:plan_list")},
                {"label": venue.name},
            ],
        },
    )


@permission_required("venues.view_plan")
@require_GET
def plan_detail(request, pk: int):
    plan = selectors.plan_get(user=request.user, pk=pk)
    return render(
        request,
        "venues/plan_detail.html",
        {
            "plan": plan,
            "photo_form": PhotoForm(initial={"kind": PhotoKind.ACCEPTANCE}),
            "breadcrumbs": [
                {"label": _("提升计划"), "url": reverse("venues:plan_list")},
                {"label": str(plan)},
            ],
        },
    )


@permission_required("venues.manage_plan")
@require_POST
def plan_advance(request, pk: int):
    plan = selectors.plan_get(user=request.user, pk=pk)
    try:
        on = params.parse_date(request.POST.get("on")) if request.POST.get("on") else None
        if request.POST.get("on") and on is None:
            raise ValueError(request.POST.get("on"))
        services.plan_advance(actor=request.user, plan=plan, on_date=on)
        messages.success(request, _("进度已更新。"))
    except ValueError:
        messages.error(request, _("日期格式不正确。"))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("venues:plan_detail", pk=plan.pk)
