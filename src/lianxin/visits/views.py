"""Pages of the visits module (phone first): today, the visit form, a visit, history, coverage."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.cases.selectors import CaseFilters, case_list, category_choices
from lianxin.core.decorators import permission_required
from lianxin.core.paging import paginate
from lianxin.visits import selectors, services
from lianxin.visits.models import NEED_TAGS, VisitKind
from lianxin.wishes.models import WishCategory


def _int(raw) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


def _float(raw) -> float | None:
    try:
        return float(raw) if raw not in (None, "") else None
    except (TypeError, ValueError):
        return None


@permission_required("visits.add_visit")
def today(request):
    due = selectors.households_due(request.user, own_grids=True)
    overdue_cases = case_list(user=request.user, filters=CaseFilters(overdue=True))[:20]
    return render(
        request,
        "visits/today.html",
        {"due": due[:100], "due_count": len(due), "overdue_cases": overdue_cases},
    )


@permission_required("visits.add_visit")
def visit_new(request):
    household = selectors.household_get(request.user, _int(request.GET.get("household")) or 0)
    if household is None:
        return render(request, "visits/visit_pick.html", status=200)
    if not request.user.has_perm("visits.add_visit", household):
        raise PermissionDenied("visits.add_visit")
    error = ""
    if request.method == "POST":
        needs = request.POST.getlist("needs") + request.POST.get("needs_free", "").split("，")
        try:
            visit, _created = services.visit_log(
                actor=request.user,
                household=household,
                kind=request.POST.get("kind", ""),
                met=request.POST.get("met", ""),
                notes=request.POST.get("notes", ""),
                needs=needs,
                photo=request.FILES.get("photo"),
                lat=_float(request.POST.get("lat")),
                lng=_float(request.POST.get("lng")),
                form_token=request.POST.get("form_token") or None,
                request=request,
            )
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("走访已登记。"))
            return redirect("visits:visit_detail", pk=visit.pk)
    return render(
        request,
        "visits/visit_form.html",
        {
            "household": household,
            "vulnerable": selectors.is_vulnerable(household),
            "kinds": VisitKind.choices,
            "need_tags": NEED_TAGS,
            "form_token": secrets.token_hex(16),
            "error": error,
            "post": request.POST if request.method == "POST" else {},
        },
    )


@permission_required("visits.view_visit")
def visit_detail(request, pk: int):
    visit = selectors.visit_get(request.user, pk)
    if visit is None:
        raise Http404
    may_raise = request.user.has_perm("visits.add_visit", visit)
    if request.method == "POST":
        if not may_raise:
            raise PermissionDenied("visits.add_visit")
        action = request.POST.get("action")
        title = (request.POST.get("title") or "").strip()
        try:
            if action == "case":
                category = category_choices().filter(pk=_int(request.POST.get("category"))).first()
                if category is None or len(title) < 2:
                    raise ValidationError(_("请选择诉求类别并写下诉求标题。"))
                case = services.visit_raise_case(
                    actor=request.user, visit=visit, category=category, title=title, request=request
                )
                messages.success(request, _("诉求已上报，编号 %(code)s。") % {"code": case.code})
            elif action == "wish":
                services.visit_raise_wish(
                    actor=request.user,
                    visit=visit,
                    title=title,
                    category=request.POST.get("category", ""),
                    request=request,
                )
                messages.success(request, _("微心愿已提交。"))
            else:
                raise ValidationError(_("请选择要做的事。"))
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        except Exception as exc:  # CaseError: a clear message, never a 500
            if exc.__class__.__name__ != "CaseError":
                raise
            messages.error(request, str(exc))
        return redirect("visits:visit_detail", pk=visit.pk)
    return render(
        request,
        "visits/visit_detail.html",
        {
            "visit": visit,
            "may_raise": may_raise,
            "categories": category_choices() if may_raise else [],
            "wish_categories": WishCategory.choices,
        },
    )


@permission_required("visits.view_visit")
def household_history(request, pk: int):
    household = selectors.household_get(request.user, pk)
    if household is None:
        raise Http404
    page = paginate(request, selectors.household_visits(request.user, household))
    return render(
        request,
        "visits/household_history.html",
        {
            "household": household,
            "page_obj": page,
            "vulnerable": selectors.is_vulnerable(household),
        },
    )


@permission_required("visits.view_visit")
def coverage(request):
    unit_id = _int(request.GET.get("unit"))
    unit = selectors.visible_unit(request.user, unit_id) if unit_id else None
    unit = unit or selectors.coverage_root(request.user)
    quarter = selectors.Quarter.parse(request.GET.get("quarter"), timezone.localdate())
    if unit is None:
        return render(request, "visits/coverage.html", {"quarter": quarter})
    return render(
        request,
        "visits/coverage.html",
        {
            "unit": unit,
            "quarter": quarter,
            "total": selectors.coverage_for(request.user, unit, quarter),
            "rows": selectors.coverage_children(request.user, unit, quarter),
        },
    )
