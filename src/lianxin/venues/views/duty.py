"""Thin views of the public duty board and the duty roster with certificates."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lianxin.core.decorators import permission_required, public_view
from lianxin.core.forms import add_validation_error
from lianxin.core.paging import paginate
from lianxin.venues import selectors, services
from lianxin.venues.forms import (
    CertificateForm,
    DutyForm,
)
from lianxin.venues.views.archive import _content_type, _crumbs, _date_arg, _qr_svg

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
        # Rule venues.change_venue on this venue (venues.rules), as in the duty services.
        if not request.user.has_perm("venues.change_venue", venue):
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
