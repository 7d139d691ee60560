"""Thin views of 全覆盖摸排: campaigns, progress, the village's phone form, chasing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lianxin.core.decorators import permission_required
from lianxin.core.forms import add_validation_error
from lianxin.core.paging import paginate
from lianxin.venues import selectors, services
from lianxin.venues.forms import (
    ArchiveForm,
    CampaignForm,
)
from lianxin.venues.views.archive import _crumbs, _int

# --- survey campaigns -------------------------------------------------------------------------


@permission_required("venues.fill_survey")
@require_GET
def campaign_list(request):
    return render(
        request,
        "venues/campaign_list.html",
        {
            "campaigns": selectors.campaign_list(user=request.user),
            "breadcrumbs": _crumbs({"label": _("摸排任务")}),
        },
    )


@permission_required("venues.open_campaign")
@require_http_methods(["GET", "POST"])
def campaign_create(request):
    form = CampaignForm(request.POST or None)
    unit = selectors.campaign_home_unit(user=request.user)
    if request.method == "POST" and form.is_valid():
        if unit is None:
            raise PermissionDenied
        try:
            campaign = services.campaign_open(
                actor=request.user, unit=unit, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            return redirect("venues:campaign_detail", pk=campaign.pk)
    return render(
        request,
        "venues/campaign_form.html",
        {
            "form": form,
            "unit": unit,
            "breadcrumbs": _crumbs(
                {"label": _("摸排任务"), "url": reverse("venues:campaign_list")},
                {"label": _("发起摸排")},
            ),
        },
    )


@permission_required("venues.fill_survey")
@require_GET
def campaign_detail(request, pk: int):
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    town_id = _int(request.GET.get("town"))
    return render(
        request,
        "venues/campaign_detail.html",
        {
            "campaign": campaign,
            "progress": selectors.campaign_progress(user=request.user, campaign=campaign),
            "page_obj": paginate(
                request,
                selectors.campaign_missing(user=request.user, campaign=campaign, town_id=town_id),
                50,
            ),
            "town": town_id,
            "breadcrumbs": _crumbs(
                {"label": _("摸排任务"), "url": reverse("venues:campaign_list")},
                {"label": campaign.name},
            ),
        },
    )


@permission_required("venues.fill_survey")
@require_http_methods(["GET", "POST"])
def campaign_fill(request, pk: int, unit_id: int):
    """The phone form: a village/community fills or updates its venue record."""
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    unit = selectors.survey_unit_get(user=request.user, campaign=campaign, unit_id=unit_id)
    venue = selectors.service_center_of(unit=unit)
    if venue is not None:
        initial = {f: getattr(venue, f) for f in services.ARCHIVE_FIELDS}
    else:
        initial = {
            "name": _("%(unit)s党群服务中心") % {"unit": unit.name},
            "address": unit.address,
            "lng": unit.lng,
            "lat": unit.lat,
        }
    form = ArchiveForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_submit(
                actor=request.user,
                campaign=campaign,
                unit=unit,
                values=form.cleaned_data,
                request=request,
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("摸排信息已提交，谢谢！"))
            return redirect("venues:campaign_fill", pk=campaign.pk, unit_id=unit.pk)
    return render(
        request,
        "venues/campaign_fill.html",
        {
            "campaign": campaign,
            "unit": unit,
            "venue": venue,
            "form": form,
            "response": selectors.survey_response_for(campaign=campaign, unit=unit),
            "breadcrumbs": _crumbs(
                {
                    "label": campaign.name,
                    "url": reverse("venues:campaign_detail", args=[campaign.pk]),
                },
                {"label": unit.name},
            ),
        },
    )


@permission_required("venues.fill_survey")
@require_GET
def campaign_mine(request, pk: int):
    """Where a village clerk lands: their own units' forms for this campaign."""
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    units = list(selectors.survey_units_for(user=request.user, campaign=campaign)[:2])
    if len(units) == 1:
        return redirect("venues:campaign_fill", pk=campaign.pk, unit_id=units[0].pk)
    return redirect("venues:campaign_detail", pk=campaign.pk)


@permission_required("venues.open_campaign")
@require_POST
def campaign_chase(request, pk: int):
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    missing = list(selectors.campaign_missing(user=request.user, campaign=campaign))
    try:
        sent = services.campaign_chase(
            actor=request.user, campaign=campaign, missing=missing, request=request
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            _("已向 %(v)d 个未填报村（社区）发出 %(n)d 条催报提醒。")
            % {"v": len(missing), "n": sent},
        )
    return redirect("venues:campaign_detail", pk=campaign.pk)


@permission_required("venues.open_campaign")
@require_POST
def campaign_close(request, pk: int):
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    services.campaign_close(actor=request.user, campaign=campaign)
    messages.success(request, _("摸排任务已结束。"))
    return redirect("venues:campaign_detail", pk=campaign.pk)
