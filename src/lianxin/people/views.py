from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lianxin.core.decorators import permission_required
from lianxin.core.paging import paginate
from lianxin.people import selectors
from lianxin.people.services import person_reveal


@permission_required("people.view_person")
@require_GET
def person_list(request):
    q = request.GET.get("q", "").strip()
    unit = request.GET.get("unit", "").strip()
    page = paginate(request, selectors.person_list(user=request.user, q=q, unit_code=unit))
    return render(
        request,
        "people/person_list.html",
        {"page_obj": page, "q": q, "unit": unit, "breadcrumbs": [{"label": _("人员")}]},
    )


@permission_required("people.view_person")
@require_GET
def person_detail(request, pk: int):
    person = selectors.person_get(user=request.user, pk=pk)
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "breadcrumbs": [
                {"label": _("人员"), "url": reverse("people:person_list")},
                {"label": person.name},
            ],
        },
    )


@permission_required("people.reveal_person")
@require_POST
def person_reveal_view(request, pk: int):
    """htmx: swap a masked value for the full one after a reason is given (audited)."""
    person = selectors.person_get(user=request.user, pk=pk)
    field = request.POST.get("field", "")
    try:
        value = person_reveal(
            actor=request.user,
            person=person,
            field=field,
            reason=request.POST.get("reason", ""),
            request=request,
        )
    except ValidationError as exc:
        return render(
            request,
            "people/partials/reveal_form.html",
            {"person": person, "field": field, "error": exc.messages[0]},
            status=422,
        )
    return render(request, "people/partials/revealed.html", {"value": value, "field": field})


@permission_required("people.view_household")
@require_GET
def household_list(request):
    q = request.GET.get("q", "").strip()
    unit = request.GET.get("unit", "").strip()
    tag = request.GET.get("tag", "").strip()
    page = paginate(
        request, selectors.household_list(user=request.user, q=q, unit_code=unit, tag=tag)
    )
    return render(
        request,
        "people/household_list.html",
        {"page_obj": page, "q": q, "unit": unit, "tag": tag, "breadcrumbs": [{"label": _("住户")}]},
    )


@permission_required("people.view_household")
@require_GET
def household_detail(request, pk: int):
    household = selectors.household_get(user=request.user, pk=pk)
    return render(
        request,
        "people/household_detail.html",
        {
            "household": household,
            "members": selectors.household_members(household=household),
            "breadcrumbs": [
                {"label": _("住户"), "url": reverse("people:household_list")},
                {"label": household.number},
            ],
        },
    )


@permission_required("people.view_person")
@require_GET
def party_member_list(request):
    q = request.GET.get("q", "").strip()
    page = paginate(request, selectors.party_member_list(user=request.user, q=q))
    return render(
        request,
        "people/party_member_list.html",
        {"page_obj": page, "q": q, "breadcrumbs": [{"label": _("党员")}]},
    )
