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
from lianxin.core.paging import paginate
from lianxin.org import selectors
from lianxin.org.forms import StaffAccountForm
from lianxin.org.models import Role, UnitKind
from lianxin.org.services import grantable_roles, membership_end, staff_account_create
from lianxin.org.views_tree import tree_panel


def _crumbs(user, unit):
    crumbs = [
        {"label": u.name, "url": reverse("org:unit_detail", args=[u.code])}
        for u in selectors.unit_breadcrumb(user=user, unit=unit)
    ]
    return [
        {"label": _("组织架构"), "url": reverse("org:unit_list")},
        *crumbs,
        {"label": unit.name},
    ]


@permission_required("org.view_unit")
@require_GET
def unit_list(request):
    q = params.get_str(request.GET, "q")
    kind = params.get_str(request.GET, "kind", max_length=20)
    if q or kind:
        page = paginate(request, selectors.unit_search(user=request.user, q=q, kind=kind))
        roots = None
    else:
        page = None
        roots = selectors.unit_roots_for(request.user)
    return render(
        request,
        "org/unit_list.html",
        {
            "roots": roots,
            "page_obj": page,
            "q": q,
            "kind": kind,
            "kinds": UnitKind.choices,
            "breadcrumbs": [{"label": _("组织架构")}],
        },
    )


@permission_required("org.view_unit")
@require_GET
def unit_detail(request, code: str):
    unit = selectors.unit_get(user=request.user, code=code)
    children = paginate(request, selectors.unit_children(user=request.user, unit=unit), 50)
    return render(
        request,
        "org/unit_detail.html",
        {
            "unit": unit,
            "page_obj": children,
            "memberships": selectors.unit_memberships(user=request.user, unit=unit),
            "grid_geojson": selectors.unit_grid_features(user=request.user, unit=unit),
            "breadcrumbs": _crumbs(request.user, unit),
            "tree": tree_panel(request.user, unit),
        },
    )


@permission_required("org.manage_staff")
@require_GET
def staff_list(request):
    q = params.get_str(request.GET, "q")
    role = params.get_str(request.GET, "role", max_length=20)
    page = paginate(request, selectors.staff_memberships(user=request.user, q=q, role=role))
    for m in page:
        m.can_end = m.role in grantable_roles(request.user, m.unit) and m.user_id != request.user.pk
    return render(
        request,
        "org/staff_list.html",
        {
            "page_obj": page,
            "q": q,
            "role": role,
            "roles": Role.choices,
            "breadcrumbs": [{"label": _("账号与任职")}],
        },
    )


@permission_required("org.manage_staff")
@require_http_methods(["GET", "POST"])
def staff_new(request):
    code = params.clean_text(
        request.POST.get("unit_code") or request.GET.get("unit"), max_length=40
    )
    unit = selectors.unit_find(user=request.user, code=code)
    roles = sorted(grantable_roles(request.user, unit)) if unit else []
    form = StaffAccountForm(request.POST or None, roles=roles, initial={"unit_code": code})
    if request.method == "POST" and form.is_valid():
        if unit is None:
            form.add_error("unit_code", _("没有这个单位，或不在您的管辖范围内。"))
        else:
            try:
                staff_account_create(
                    actor=request.user,
                    unit=unit,
                    role=form.cleaned_data["role"],
                    username=form.cleaned_data["username"],
                    display_name=form.cleaned_data["display_name"],
                    phone=form.cleaned_data["phone"],
                    initial_password=form.cleaned_data["initial_password"],
                    post=form.cleaned_data["post"],
                    request=request,
                )
            except ValidationError as exc:
                add_validation_error(form, exc, rename={"password": "initial_password"})
            else:
                messages.success(request, _("账号已开设，请把初始密码告知本人，首次登录须修改。"))
                return redirect(reverse("org:unit_detail", args=[unit.code]))
    return render(
        request,
        "org/staff_form.html",
        {
            "form": form,
            "unit": unit,
            "breadcrumbs": [
                {"label": _("账号与任职"), "url": reverse("org:staff_list")},
                {"label": _("开设账号")},
            ],
        },
    )


@permission_required("org.manage_staff")
@require_POST
def staff_end(request, pk: int):
    membership = selectors.membership_get(user=request.user, pk=pk)
    try:
        membership_end(actor=request.user, membership=membership)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("已撤销 %(user)s 的任职。") % {"user": membership.user})
    return redirect("org:staff_list")
