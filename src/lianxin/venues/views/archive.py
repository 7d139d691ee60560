"""Thin views of the 阵地 archive: list, record, edit, hazards, photos, the sheet export/import."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lianxin.core import params
from lianxin.core.decorators import permission_required
from lianxin.core.forms import add_validation_error
from lianxin.core.paging import paginate
from lianxin.core.qr import qr_svg
from lianxin.venues import selectors, services
from lianxin.venues.forms import (
    ArchiveForm,
    HazardForm,
    ImportForm,
    PhotoForm,
    VenueCreateForm,
)
from lianxin.venues.models import (
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
        check = selectors.photo_signage_check(user=request.user, pk=check_id)
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


# --- rooms and bookings: moved to lianxin.rooms.views (ADR 0006) ------------------------------


def _date_arg(values, name: str, default: date | None = None) -> date:
    """A date from a query or form parameter; ``default`` (today) when missing, malformed or out
    of core.params' bounds."""
    return params.get_date(values, name) or default or timezone.localdate()


def _qr_svg(url: str, *, scale: int) -> str:
    """An inline SVG QR code for a printed poster (no external request, CSP-safe)."""
    return qr_svg(url, scale=scale)
