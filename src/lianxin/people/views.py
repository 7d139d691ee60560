from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lianxin.core import params
from lianxin.core.decorators import permission_required
from lianxin.core.forms import add_validation_error
from lianxin.core.keyset import request_keyset_page
from lianxin.core.registry import export_response
from lianxin.people import exports, selectors
from lianxin.people.figures import household_panels
from lianxin.people.forms import HouseholdForm, PersonForm, PersonNewForm
from lianxin.people.services import (
    RevealLimitExceeded,
    household_create,
    person_create,
    person_reveal,
    person_update,
)

# The order of selectors.person_list, ending with the id (the keyset's tie-break).
PERSON_ORDER = ("unit__path", "name", "id")
# The orders of selectors.household_list and selectors.party_member_list, ending with the id.
HOUSEHOLD_ORDER = ("number", "id")
PARTY_MEMBER_ORDER = ("party_org__path", "person__name", "id")


@permission_required("people.view_person")
@require_GET
def person_list(request):
    f = exports.person_filters(request.GET)  # the export reads the same filters
    # A county's or the province's roll: a keyset page in the list's order (unit, name, id)
    # reads the same rows on any page, and no COUNT over the whole roll (core.keyset).
    page = request_keyset_page(
        request,
        exports.person_rows(actor=request.user, params=f),
        order=PERSON_ORDER,
        tag="people.persons",
    )
    return render(
        request,
        "people/person_list.html",
        {
            "page_obj": page,
            "q": f["q"],
            "unit": f["unit_code"],
            "breadcrumbs": [{"label": _("人员")}],
        },
    )


@permission_required("people.view_person")
@require_GET
def person_export(request):
    """The person list under the current query string as .xlsx (masked, audited)."""
    f = exports.person_filters(request.GET)
    return export_response(
        request,
        builder=exports.PERSONS_BUILDER,
        params=f,
        rows=exports.person_rows(actor=request.user, params=f).count(),
        title=_("导出人员名单"),
        kind="people.persons",
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
            status=429 if isinstance(exc, RevealLimitExceeded) else 422,
        )
    return render(request, "people/partials/revealed.html", {"value": value, "field": field})


@permission_required("people.view_household")
@require_GET
def household_list(request):
    f = exports.household_filters(request.GET)  # the export reads the same filters
    # A keyset page in the list's order (number, id): the same rows read on any page, and no
    # COUNT over the scope's households (core.keyset).
    page = request_keyset_page(
        request,
        exports.household_rows(actor=request.user, params=f),
        order=HOUSEHOLD_ORDER,
        tag="people.households",
    )
    return render(
        request,
        "people/household_list.html",
        {
            "page_obj": page,
            "q": f["q"],
            "unit": f["unit_code"],
            "tag": f["tag"],
            "breadcrumbs": [{"label": _("住户")}],
        },
    )


@permission_required("people.view_household")
@require_GET
def household_export(request):
    """The household list under the current query string as .xlsx (audited)."""
    f = exports.household_filters(request.GET)
    return export_response(
        request,
        builder=exports.HOUSEHOLDS_BUILDER,
        params=f,
        rows=exports.household_rows(actor=request.user, params=f).count(),
        title=_("导出住户名单"),
        kind="people.households",
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
            "panels": household_panels(household, request.user),
            "breadcrumbs": [
                {"label": _("住户"), "url": reverse("people:household_list")},
                {"label": household.number},
            ],
        },
    )


@permission_required("people.view_person")
@require_GET
def party_member_list(request):
    q = params.get_str(request.GET, "q")
    # The scope's party roll by cursor in its order (party org path, name, id), no COUNT.
    page = request_keyset_page(
        request,
        selectors.party_member_list(user=request.user, q=q),
        order=PARTY_MEMBER_ORDER,
        tag="people.party_members",
    )
    return render(
        request,
        "people/party_member_list.html",
        {"page_obj": page, "q": q, "breadcrumbs": [{"label": _("党员")}]},
    )


@permission_required("people.manage_household")
@require_http_methods(["GET", "POST"])
def household_new(request):
    form = HouseholdForm(request.POST or None, grids=selectors.grid_choices(user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            household = household_create(
                actor=request.user,
                grid=form.cleaned_data["grid"],
                address=form.cleaned_data["address"],
                tags=form.cleaned_data["tags"],
                form_token=form.cleaned_data["form_token"],
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("已登记住户 %(n)s。") % {"n": household.number})
            return redirect("people:household_detail", pk=household.pk)
    return render(
        request,
        "people/household_form.html",
        {
            "form": form,
            "breadcrumbs": [
                {"label": _("住户"), "url": reverse("people:household_list")},
                {"label": _("登记住户")},
            ],
        },
    )


@permission_required("people.manage_household")
@require_http_methods(["GET", "POST"])
def person_new(request, household_pk: int):
    household = selectors.household_get(user=request.user, pk=household_pk)
    form = PersonNewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v not in ("", None)}
        try:
            person = person_create(actor=request.user, household=household, **data)
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("已登记 %(name)s。") % {"name": person.name})
            return redirect("people:household_detail", pk=household.pk)
    return render(
        request,
        "people/person_form.html",
        {
            "form": form,
            "household": household,
            "breadcrumbs": [
                {"label": _("住户"), "url": reverse("people:household_list")},
                {
                    "label": household.number,
                    "url": reverse("people:household_detail", args=[household.pk]),
                },
                {"label": _("登记成员")},
            ],
        },
    )


@permission_required("people.manage_household")
@require_http_methods(["GET", "POST"])
def person_edit(request, pk: int):
    """Edit a person. ID and phone are never pre-filled (that would unmask them): blank keeps them."""
    person = selectors.person_get(user=request.user, pk=pk)
    initial = {"name": person.name, "relation": person.relation, "gender": person.gender}
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {
            k: v for k, v in form.cleaned_data.items() if v not in ("", None) or k == "relation"
        }
        try:
            person_update(actor=request.user, person=person, **data)
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("people:person_detail", pk=person.pk)
    return render(
        request,
        "people/person_form.html",
        {
            "form": form,
            "person": person,
            "breadcrumbs": [
                {"label": _("人员"), "url": reverse("people:person_list")},
                {"label": person.name, "url": reverse("people:person_detail", args=[person.pk])},
                {"label": _("修改")},
            ],
        },
    )
