"""The calendar screen: a year's days off and 调休 working days, kept by the county administrator."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lianxin.core.decorators import permission_required
from lianxin.core.forms import add_validation_error
from lianxin.workdays import selectors, services
from lianxin.workdays.forms import CompleteForm, DayForm, ImportForm, ReopenForm
from lianxin.workdays.imports import calendar_import
from lianxin.workdays.models import FIRST_YEAR, LAST_YEAR


def _year(value, default: int) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default
    return year if FIRST_YEAR <= year <= LAST_YEAR else default


def _year_url(year: int) -> str:
    return reverse("workdays:calendar") + f"?year={year}"


def _crumbs(*items):
    return [{"label": _("节假日安排"), "url": reverse("workdays:calendar")}, *items]


@permission_required("workdays.view_calendar")
@require_GET
def calendar_page(request):
    year = _year(request.GET.get("year"), selectors.default_year())
    years = list(selectors.calendar_years())
    known = {y.year for y in years}
    choices = sorted(known | {selectors.default_year(), year}, reverse=True)
    return render(
        request,
        "workdays/calendar.html",
        {
            "year": year,
            "years": years,
            "year_choices": choices,
            "schedule": selectors.calendar_year(year),
            "days": selectors.year_days(year),
            "can_manage": request.user.has_perm(services.MANAGE_PERM),
            "complete_form": CompleteForm(),
            "reopen_form": ReopenForm(),
            "breadcrumbs": [{"label": _("节假日安排")}],
        },
    )


@permission_required("workdays.manage_calendar")
@require_http_methods(["GET", "POST"])
def day_create(request):
    year = _year(request.GET.get("year"), selectors.default_year())
    form = DayForm(request.POST or None, initial={"date": f"{year}-01-01"})
    if request.method == "POST" and form.is_valid():
        try:
            day = services.calendar_day_create(
                actor=request.user,
                day=form.cleaned_data["date"],
                kind=form.cleaned_data["kind"],
                name=form.cleaned_data["name"],
                request=request,
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("已添加 %(day)s。") % {"day": day})
            return redirect(_year_url(day.date.year))
    return render(
        request,
        "workdays/day_form.html",
        {"form": form, "breadcrumbs": _crumbs({"label": _("添加日期")})},
    )


@permission_required("workdays.manage_calendar")
@require_http_methods(["GET", "POST"])
def day_edit(request, pk: int):
    day = selectors.day_get(pk)
    form = DayForm(
        request.POST or None, initial={"date": day.date, "kind": day.kind, "name": day.name}
    )
    if request.method == "POST" and form.is_valid():
        try:
            day = services.calendar_day_update(
                actor=request.user,
                day=day,
                date_value=form.cleaned_data["date"],
                kind=form.cleaned_data["kind"],
                name=form.cleaned_data["name"],
                request=request,
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("已修改 %(day)s。") % {"day": day})
            return redirect(_year_url(day.date.year))
    return render(
        request,
        "workdays/day_form.html",
        {"form": form, "day": day, "breadcrumbs": _crumbs({"label": _("修改日期")})},
    )


@permission_required("workdays.manage_calendar")
@require_POST
def day_delete(request, pk: int):
    day = selectors.day_get(pk)
    year = day.date.year
    services.calendar_day_delete(actor=request.user, day=day, request=request)
    messages.success(request, _("已删除 %(day)s。") % {"day": day})
    return redirect(_year_url(year))


@permission_required("workdays.manage_calendar")
@require_POST
def year_complete(request, year: int):
    form = CompleteForm(request.POST)
    reference = form.cleaned_data["reference"] if form.is_valid() else ""
    try:
        services.calendar_year_complete(
            actor=request.user, year=year, reference=reference, request=request
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(
            request,
            _("已确认 %(year)s 年节假日安排。暂按工作日计算的时限将由后台任务在一分钟内重新计算。")
            % {"year": year},
        )
    return redirect(_year_url(year))


@permission_required("workdays.manage_calendar")
@require_POST
def year_reopen(request, year: int):
    form = ReopenForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.calendar_year_reopen(actor=request.user, year=year, reason=reason, request=request)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已撤销 %(year)s 年的确认。") % {"year": year})
    return redirect(_year_url(year))


@permission_required("workdays.manage_calendar")
@require_http_methods(["GET", "POST"])
def schedule_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = calendar_import(
                actor=request.user,
                data=form.cleaned_data["file"].read(),
                dry_run=form.cleaned_data["dry_run"],
                complete=form.cleaned_data["complete"],
                reference=form.cleaned_data["reference"],
                request=request,
            )
        except ValidationError as exc:
            form.add_error("file", exc.messages)
    return render(
        request,
        "workdays/import.html",
        {"form": form, "report": report, "breadcrumbs": _crumbs({"label": _("导入节假日安排")})},
    )
