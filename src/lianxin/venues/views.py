"""Thin views of the 阵地 module: parse, call a service or selector, render."""

from __future__ import annotations

import io
from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lianxin.core import params
from lianxin.core.decorators import permission_required, public_view
from lianxin.core.forms import add_validation_error
from lianxin.core.paging import paginate
from lianxin.venues import selectors, services
from lianxin.venues.forms import (
    ArchiveForm,
    CampaignForm,
    CertificateForm,
    DutyForm,
    HazardForm,
    ImportForm,
    PhotoForm,
    PlanForm,
    VenueCreateForm,
)
from lianxin.venues.models import (
    PhotoKind,
    PlanStatus,
    VenueKind,
)


def _int(value) -> int | None:
    """An id from the request (core.params: bad or out of range is None)."""
    return params.parse_id(value)


def _crumbs(*items):
    return [{"label": _("阵地档案"), "url": reverse("venues:venue_list")}, *items]


# --- archive ---------------------------------------------------------------------------------


@permission_required("venues.view_venue")
@require_GET
def venue_list(request):
    q = params.get_str(request.GET, "q")
    town_id = _int(request.GET.get("town"))
    kind = params.get_str(request.GET, "kind", max_length=20)
    flag = params.get_str(request.GET, "flag", max_length=20)
    page = paginate(
        request,
        selectors.venue_list(user=request.user, q=q, town_id=town_id, kind=kind, flag=flag),
        30,
    )
    return render(
        request,
        "venues/venue_list.html",
        {
            "page_obj": page,
            "q": q,
            "town": town_id,
            "kind": kind,
            "flag": flag,
            "kinds": VenueKind.choices,
            "towns": selectors.area_rollup_by_town(user=request.user),
            "total": selectors.area_rollup_total(user=request.user),
            "target": selectors.service_share_target(),
            "breadcrumbs": [{"label": _("阵地档案")}],
        },
    )


@permission_required("venues.view_venue")
@require_GET
def venue_detail(request, pk: int):
    venue = selectors.venue_get(user=request.user, pk=pk)
    return render(
        request,
        "venues/venue_detail.html",
        {
            "venue": venue,
            **selectors.venue_detail_related(venue=venue),
            "target": selectors.service_share_target(),
            "hazard_form": HazardForm(),
            "photo_form": PhotoForm(),
            "breadcrumbs": _crumbs({"label": venue.name}),
        },
    )


@permission_required("venues.change_venue")
@require_http_methods(["GET", "POST"])
def venue_edit(request, pk: int):
    venue = selectors.venue_get(user=request.user, pk=pk)
    initial = {f: getattr(venue, f) for f in services.ARCHIVE_FIELDS}
    form = ArchiveForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.venue_upsert(
                actor=request.user,
                unit=venue.unit,
                kind=venue.kind,
                values=form.cleaned_data,
                request=request,
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("档案已保存。"))
            return redirect("venues:venue_detail", pk=venue.pk)
    return render(
        request,
        "venues/venue_form.html",
        {
            "form": form,
            "venue": venue,
            "breadcrumbs": _crumbs(
                {"label": venue.name, "url": reverse("venues:venue_detail", args=[venue.pk])},
                {"label": _("修改档案")},
            ),
        },
    )


@permission_required("venues.change_venue")
@require_http_methods(["GET", "POST"])
def venue_create(request):
    units = selectors.venue_units(user=request.user)
    form = VenueCreateForm(
        request.POST or None, units=units, initial={"kind": VenueKind.BEE_STATION}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        unit, kind = data.pop("unit"), data.pop("kind")
        try:
            venue, changed = services.venue_upsert(
                actor=request.user, unit=unit, kind=kind, values=data, request=request
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(
                request, _("场所已登记。") if changed == ["*"] else _("该场所已存在，档案已更新。")
            )
            return redirect("venues:venue_detail", pk=venue.pk)
    return render(
        request,
        "venues/venue_form.html",
        {"form": form, "venue": None, "breadcrumbs": _crumbs({"label": _("新增场所")})},
        status=422 if request.method == "POST" else 200,
    )


@permission_required("venues.change_venue")
@require_POST
def hazard_add(request, pk: int):
    venue = selectors.venue_get(user=request.user, pk=pk)
    form = HazardForm(request.POST)
    if form.is_valid():
        try:
            services.hazard_add(actor=request.user, venue=venue, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_error(form, exc)
    status = 200 if form.is_valid() and not form.errors else 422
    return render(
        request,
        "venues/partials/hazards.html",
        {
            "venue": venue,
            "hazards": selectors.venue_hazards(user=request.user, venue=venue),
            "hazard_form": form if status == 422 else HazardForm(),
        },
        status=status,
    )


@permission_required("venues.change_venue")
@require_POST
def hazard_resolve(request, pk: int):
    hazard = selectors.hazard_get(user=request.user, pk=pk)
    services.hazard_resolve(actor=request.user, hazard=hazard)
    venue = hazard.venue
    return render(
        request,
        "venues/partials/hazards.html",
        {
            "venue": venue,
            "hazards": selectors.venue_hazards(user=request.user, venue=venue),
            "hazard_form": HazardForm(),
        },
    )


@permission_required("venues.change_venue")
@require_POST
def photo_upload(request, pk: int):
    venue = selectors.venue_get(user=request.user, pk=pk)
    form = PhotoForm(request.POST, request.FILES)
    plan = None
    plan_id = _int(request.POST.get("plan"))
    if plan_id:
        plan = selectors.plan_get(user=request.user, pk=plan_id)
    check = None
    check_id = _int(request.POST.get("signage_check"))
    if check_id:
        from lianxin.compliance.selectors import signage_check_get

        check = signage_check_get(user=request.user, pk=check_id)
    if form.is_valid():
        try:
            services.photo_add(
                actor=request.user,
                venue=venue,
                upload=form.cleaned_data["image"],
                kind=form.cleaned_data["kind"],
                caption=form.cleaned_data["caption"],
                plan=plan,
                signage_check=check,
            )
            messages.success(request, _("照片已上传。"))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    else:
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    if plan is not None:
        return redirect("venues:plan_detail", pk=plan.pk)
    if check is not None:
        return redirect("compliance:signage_check", pk=check.campaign_id, venue_id=venue.pk)
    return redirect("venues:venue_detail", pk=venue.pk)


@permission_required("venues.view_photo")
@require_GET
def photo_file(request, pk: int):
    """Photos leave only through here: logged in, scoped, never cached, no public URL."""
    photo = selectors.photo_get(user=request.user, pk=pk)
    try:
        fh = photo.image.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(fh, content_type=_content_type(photo.image.name))
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _content_type(name: str) -> str:
    ext = name.rsplit(".", 1)[-1].lower()
    return {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}.get(
        ext, "application/octet-stream"
    )


@permission_required("venues.export_venues")
@require_GET
def venue_export(request):
    """The archive sheet; a county's worth (above the inline limit) is written by the worker."""
    from lianxin.jobs.exports import export_response
    from lianxin.venues.exports import BUILDER

    return export_response(
        request,
        builder=BUILDER,
        params={},
        rows=selectors.venues_for_export(user=request.user).count(),
        title=_("导出阵地档案"),
        kind="venues.export",
    )


@permission_required("venues.import_venues")
@require_http_methods(["GET", "POST"])
def venue_import(request):
    """Upload the sheet; it is kept privately and imported by the worker (dry run first, then
    "确认导入" on the job's page)."""
    from lianxin.jobs.services import job_start
    from lianxin.org.scoping import user_scope
    from lianxin.venues.imports import RUNNER

    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload, dry_run = form.cleaned_data["file"], form.cleaned_data["dry_run"]
        main = user_scope(request.user).main_membership()
        job = job_start(
            owner=request.user,
            kind="venues.import",
            title=_("试导入阵地档案") if dry_run else _("导入阵地档案"),
            runner=RUNNER,
            unit=main.unit if main else None,
            params={
                "dry_run": dry_run,
                "perm": "venues.import_venues",
                "back_url": reverse("venues:venue_list"),
            },
            source=upload,
            source_name=upload.name,
            request=request,
        )
        return redirect("jobs:job_detail", pk=job.pk)
    return render(
        request,
        "venues/venue_import.html",
        {"form": form, "breadcrumbs": _crumbs({"label": _("导入档案")})},
    )


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


# --- rooms and bookings: moved to lianxin.rooms.views (ADR 0006) ------------------------------


def _date_arg(values, name: str, default: date | None = None) -> date:
    """A date from a query or form parameter; ``default`` (today) when missing, malformed or out
    of core.params' bounds."""
    return params.get_date(values, name) or default or timezone.localdate()


def _qr_svg(url: str, *, scale: int) -> str:
    """An inline SVG QR code for a printed poster (no external request, CSP-safe)."""
    import segno

    buf = io.BytesIO()
    segno.make(url, error="m").save(
        buf, kind="svg", scale=scale, xmldecl=False, svgns=True, nl=False
    )
    return buf.getvalue().decode()


# --- upgrade plans ----------------------------------------------------------------------------


@permission_required("venues.view_plan")
@require_GET
def plan_list(request):
    year = params.get_year(request.GET, "year")
    status = params.get_str(request.GET, "status", max_length=20)
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


# --- public board -----------------------------------------------------------------------------


@public_view
@require_GET
def venue_board(request, pk: int):
    """亮牌服务: the venue's public page; printed, it is the A4 QR poster for the door."""
    board = selectors.public_board(pk=pk)
    url = request.build_absolute_uri(reverse("venues:venue_board", args=[pk]))
    return render(
        request, "venues/board.html", {**board, "qr_svg": _qr_svg(url, scale=5), "url": url}
    )


@public_view
@require_GET
def duty_photo(request, pk: int):
    """The on-duty staff member's photo for the public board (亮牌), only around the shift day."""
    shift = selectors.duty_shift_public(pk=pk)
    if not shift.staff.photo:
        raise Http404
    try:
        fh = shift.staff.photo.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(fh, content_type=_content_type(shift.staff.photo.name))
    response["Cache-Control"] = "no-store"
    return response


# --- duty roster ------------------------------------------------------------------------------


@permission_required("venues.view_venue")
@require_http_methods(["GET", "POST"])
def venue_roster(request, pk: int):
    venue = selectors.venue_get(user=request.user, pk=pk)
    week_of = _date_arg(request.GET, "week")
    staff_qs = selectors.venue_staff_choices(venue=venue)
    form = DutyForm(request.POST or None, staff_qs=staff_qs, initial={"day": week_of})
    cert_form = CertificateForm(staff_qs=staff_qs)
    if request.method == "POST":
        if not request.user.has_perm("venues.change_venue"):
            raise PermissionDenied("venues.change_venue")
        if form.is_valid():
            try:
                services.duty_assign(actor=request.user, venue=venue, **form.cleaned_data)
            except ValidationError as exc:
                add_validation_error(form, exc)
            else:
                messages.success(request, _("值班已安排。"))
                return redirect(
                    reverse("venues:venue_roster", args=[venue.pk])
                    + f"?week={form.cleaned_data['day']}"
                )
    return render(
        request,
        "venues/roster.html",
        {
            "venue": venue,
            "roster": selectors.roster_week(venue=venue, week_of=week_of),
            "form": form,
            "cert_form": cert_form,
            "certificates": selectors.certificates_list(user=request.user, venue=venue),
            "warn_until": timezone.localdate() + timedelta(days=selectors.CERT_WARN_DAYS),
            "today": timezone.localdate(),
            "breadcrumbs": _crumbs(
                {"label": venue.name, "url": reverse("venues:venue_detail", args=[venue.pk])},
                {"label": _("值班与证书")},
            ),
        },
        status=422 if request.method == "POST" else 200,
    )


@permission_required("venues.change_venue")
@require_POST
def duty_remove(request, pk: int):
    shift = selectors.duty_shift_get(user=request.user, pk=pk)
    venue_pk, day = shift.venue_id, shift.day
    services.duty_remove(actor=request.user, shift=shift)
    return redirect(reverse("venues:venue_roster", args=[venue_pk]) + f"?week={day}")


@permission_required("venues.change_venue")
@require_POST
def roster_copy(request, pk: int):
    venue = selectors.venue_get(user=request.user, pk=pk)
    today = timezone.localdate()
    monday = _date_arg(request.POST, "monday", today - timedelta(days=today.weekday()))
    n = services.roster_copy_week(actor=request.user, venue=venue, from_monday=monday)
    messages.success(request, _("已复制 %(n)d 条值班安排到下周。") % {"n": n})
    return redirect(
        reverse("venues:venue_roster", args=[venue.pk]) + f"?week={monday + timedelta(days=7)}"
    )


@permission_required("venues.change_venue")
@require_POST
def certificate_add(request, pk: int):
    venue = selectors.venue_get(user=request.user, pk=pk)
    form = CertificateForm(request.POST, staff_qs=selectors.venue_staff_choices(venue=venue))
    if form.is_valid():
        try:
            services.certificate_save(actor=request.user, venue=venue, **form.cleaned_data)
            messages.success(request, _("证书已登记。"))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    else:
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    return redirect("venues:venue_roster", pk=venue.pk)


@permission_required("venues.view_venue")
@require_GET
def certificate_warnings(request):
    """持证上岗: certificates lapsed or lapsing within 30 days, soonest first."""
    page = paginate(request, selectors.certificates_expiring(user=request.user), 30)
    return render(
        request,
        "venues/certificates.html",
        {
            "page_obj": page,
            "today": timezone.localdate(),
            "breadcrumbs": _crumbs({"label": _("证书到期提醒")}),
        },
    )
