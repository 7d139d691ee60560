"""诉求分类与时限: the county administrator's screen for the categories and their deadline rules.

Thin views over ``cases.category_admin`` (writes, audited) and ``cases.category_selectors``.
Every refusal is a message on the page (never a 500); a stale edit shows the current values.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lianxin.cases import category_admin as svc
from lianxin.cases import category_selectors as sel
from lianxin.cases.forms_categories import (
    CategoryCreateForm,
    CategoryForm,
    RulesForm,
    rules_initial,
)
from lianxin.core.decorators import permission_required
from lianxin.core.forms import add_validation_error

PERM = svc.MANAGE_PERM


def _crumbs(*items):
    return [{"label": _("诉求分类与时限"), "url": reverse("cases:category_list")}, *items]


def _stale(form, current_version: str):
    """Keep what the user typed, with the version of the stored values they have now seen."""
    data = form.data.copy()
    data["version"] = current_version
    return data


@permission_required(PERM)
@require_GET
def category_list(request):
    return render(
        request,
        "cases/categories_list.html",
        {"rows": sel.category_rows(), "breadcrumbs": [{"label": _("诉求分类与时限")}]},
    )


@permission_required(PERM)
@require_http_methods(["GET", "POST"])
def category_create(request):
    form = CategoryCreateForm(request.POST or None, parents=sel.parent_choices())
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            row = svc.category_create(
                actor=request.user,
                code=d["code"],
                name=d["name"],
                name_en=d["name_en"],
                parent=d["parent"],
                default_priority=d["default_priority"],
                sort_order=d["sort_order"] or 0,
                request=request,
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(
                request, _("已新建分类“%(name)s”，请设置或确认其时限规则。") % {"name": row.name}
            )
            return redirect("cases:category_rules", pk=row.pk)
    return render(
        request,
        "cases/categories_form.html",
        {"form": form, "breadcrumbs": _crumbs({"label": _("新建分类")})},
    )


@permission_required(PERM)
@require_http_methods(["GET", "POST"])
def category_edit(request, pk: int):
    category = sel.category_get(pk)
    initial = {
        "name": category.name,
        "name_en": category.name_en,
        "default_priority": category.default_priority,
        "sort_order": category.sort_order,
        "version": svc.category_version(category),
    }
    form = CategoryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            svc.category_update(
                actor=request.user,
                category=category,
                name=d["name"],
                name_en=d["name_en"],
                default_priority=d["default_priority"],
                sort_order=d["sort_order"] or 0,
                version=d["version"] or None,
                request=request,
            )
        except ValidationError as exc:
            if getattr(exc, "code", None) == "stale":
                category = sel.category_get(pk)
                form = CategoryForm(_stale(form, svc.category_version(category)), initial=initial)
                form.is_valid()
            add_validation_error(form, exc)
        else:
            messages.success(request, _("已保存分类“%(name)s”。") % {"name": d["name"]})
            return redirect("cases:category_list")
    return render(
        request,
        "cases/categories_form.html",
        {"form": form, "category": category, "breadcrumbs": _crumbs({"label": category.name})},
    )


@permission_required(PERM)
@require_http_methods(["GET", "POST"])
def category_rules(request, pk: int):
    category = sel.category_get(pk)
    views = sel.category_rules(category)
    inherit = _("沿用上级") if category.parent_id else _("系统默认")
    form = RulesForm(
        request.POST or None, initial=rules_initial(category, views), inherit_label=inherit
    )
    if request.method == "POST" and form.is_valid():
        try:
            svc.deadline_rules_update(
                actor=request.user,
                category=category,
                rules=form.rules(),
                version=form.cleaned_data["version"] or None,
                request=request,
            )
        except ValidationError as exc:
            if getattr(exc, "code", None) == "stale":
                views = sel.category_rules(category)
                form = RulesForm(
                    _stale(form, svc.rules_version(category)),
                    initial=rules_initial(category, views),
                    inherit_label=inherit,
                )
                form.is_valid()
            add_validation_error(form, exc)
        else:
            messages.success(
                request,
                _("已保存“%(name)s”的时限规则，今后派单的诉求按新规则计算，已派单诉求的时限不变。")
                % {"name": category.name},
            )
            return redirect("cases:category_list")
    return render(
        request,
        "cases/categories_rules.html",
        {
            "form": form,
            "category": category,
            "current": views,
            "inherit_label": inherit,
            "breadcrumbs": _crumbs({"label": category.name}, {"label": _("时限规则")}),
        },
    )


def _flash_refusal(request, exc: ValidationError) -> None:
    messages.error(request, "；".join(exc.messages))


@permission_required(PERM)
@require_POST
def category_deactivate(request, pk: int):
    category = sel.category_get(pk)
    try:
        svc.category_set_active(
            actor=request.user, category=category, active=False, request=request
        )
    except ValidationError as exc:
        _flash_refusal(request, exc)
    else:
        messages.success(
            request,
            _("已停用“%(name)s”：群众和窗口不能再选择它，已有诉求照常办理。")
            % {"name": category.name},
        )
    return redirect("cases:category_list")


@permission_required(PERM)
@require_POST
def category_activate(request, pk: int):
    category = sel.category_get(pk)
    try:
        svc.category_set_active(actor=request.user, category=category, active=True, request=request)
    except ValidationError as exc:
        _flash_refusal(request, exc)
    else:
        messages.success(request, _("已启用“%(name)s”。") % {"name": category.name})
    return redirect("cases:category_list")


@permission_required(PERM)
@require_POST
def category_delete(request, pk: int):
    category = sel.category_get(pk)
    try:
        svc.category_delete(actor=request.user, category=category, request=request)
    except ValidationError as exc:
        _flash_refusal(request, exc)
    else:
        messages.success(request, _("已删除“%(name)s”。") % {"name": category.name})
    return redirect("cases:category_list")
