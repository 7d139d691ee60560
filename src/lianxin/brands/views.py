"""Thin views: 党建品牌 and 合理化建议."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lianxin.brands import rules, selectors, services
from lianxin.brands.forms import BrandForm, BrandReviewForm, ProposalForm, ProposalReviewForm
from lianxin.brands.models import BrandStatus, ProposalStatus
from lianxin.core import params
from lianxin.core.decorators import permission_required
from lianxin.core.forms import add_validation_error
from lianxin.core.messages import attempt
from lianxin.core.paging import paginate


# ================================================================================= brands
@permission_required("brands.view_brand")
@require_GET
def brand_list(request):
    status = params.get_str(request.GET, "status", max_length=20)
    status = status if status in BrandStatus.values else ""
    page = paginate(request, selectors.brand_list(user=request.user, status=status))
    return render(
        request,
        "brands/brand_list.html",
        {
            "page_obj": page,
            "status": status,
            "statuses": BrandStatus.choices,
            "breadcrumbs": [{"label": _("党建品牌")}],
        },
    )


@permission_required("brands.manage_brand")
@require_http_methods(["GET", "POST"])
def brand_new(request):
    units = list(selectors.party_org_units(user=request.user))
    form = BrandForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            project = services.brand_submit(
                actor=request.user,
                unit=next(u for u in units if u.pk == d["unit"]),
                name=d["name"],
                summary=d["summary"],
                request=request,
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            return redirect("brands:brand_detail", pk=project.pk)
    return render(
        request,
        "brands/form.html",
        {
            "form": form,
            "title": _("申报党建品牌"),
            "breadcrumbs": [
                {"label": _("党建品牌"), "url": reverse("brands:brand_list")},
                {"label": _("申报")},
            ],
        },
    )


@permission_required("brands.view_brand")
@require_GET
def brand_detail(request, pk: int):
    project = selectors.brand_get(user=request.user, pk=pk)
    return render(
        request,
        "brands/brand_detail.html",
        {
            "project": project,
            "reviews": selectors.brand_reviews(project=project),
            "can_decide": rules.may_decide_brand(request.user, project),
            "review_form": BrandReviewForm(initial={"year": timezone.localdate().year}),
            "breadcrumbs": [
                {"label": _("党建品牌"), "url": reverse("brands:brand_list")},
                {"label": project.name},
            ],
        },
    )


@permission_required("brands.view_brand")
@require_POST
def brand_decide(request, pk: int):
    project = selectors.brand_get(user=request.user, pk=pk)
    attempt(
        request,
        services.brand_decide,
        project=project,
        approve=request.POST.get("approve") == "1",
        note=request.POST.get("note", ""),
    )
    return redirect("brands:brand_detail", pk=pk)


@permission_required("brands.view_brand")
@require_POST
def brand_review(request, pk: int):
    project = selectors.brand_get(user=request.user, pk=pk)
    form = BrandReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写年度和评定等次。"))
        return redirect("brands:brand_detail", pk=pk)
    attempt(request, services.brand_review, project=project, **form.cleaned_data)
    return redirect("brands:brand_detail", pk=pk)


# ================================================================================= proposals
@permission_required("brands.submit_proposal")
@require_GET
def proposal_list(request):
    status = params.get_str(request.GET, "status", max_length=20)
    status = status if status in ProposalStatus.values else ""
    page = paginate(request, selectors.proposal_list(user=request.user, status=status))
    return render(
        request,
        "brands/proposal_list.html",
        {
            "page_obj": page,
            "status": status,
            "statuses": ProposalStatus.choices,
            "breadcrumbs": [{"label": _("合理化建议")}],
        },
    )


@permission_required("brands.submit_proposal")
@require_http_methods(["GET", "POST"])
def proposal_new(request):
    form = ProposalForm(request.POST or None)
    unit = selectors.proposal_unit(user=request.user)
    if request.method == "POST" and form.is_valid():
        if unit is None:
            raise PermissionDenied("brands.submit_proposal")
        try:
            p = services.proposal_submit(
                actor=request.user,
                unit=unit,
                title=form.cleaned_data["title"],
                content=form.cleaned_data["content"],
                request=request,
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("建议已提交，感谢您的意见。"))
            return redirect("brands:proposal_detail", pk=p.pk)
    return render(
        request,
        "brands/form.html",
        {
            "form": form,
            "title": _("提交合理化建议"),
            "breadcrumbs": [
                {"label": _("合理化建议"), "url": reverse("brands:proposal_list")},
                {"label": _("提交")},
            ],
        },
    )


@permission_required("brands.submit_proposal")
@require_GET
def proposal_detail(request, pk: int):
    p = selectors.proposal_get(user=request.user, pk=pk)
    can_review = request.user.has_perm("brands.review_proposal") and rules.covers_proposal(
        request.user, p
    )
    return render(
        request,
        "brands/proposal_detail.html",
        {
            "p": p,
            "can_review": can_review,
            "review_form": ProposalReviewForm(),
            "breadcrumbs": [
                {"label": _("合理化建议"), "url": reverse("brands:proposal_list")},
                {"label": p.title},
            ],
        },
    )


@permission_required("brands.review_proposal")
@require_POST
def proposal_review(request, pk: int):
    p = selectors.proposal_get(user=request.user, pk=pk)
    form = ProposalReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择评审结果。"))
        return redirect("brands:proposal_detail", pk=pk)
    attempt(request, services.proposal_review, proposal=p, **form.cleaned_data)
    return redirect("brands:proposal_detail", pk=pk)


@permission_required("brands.review_proposal")
@require_POST
def proposal_implement(request, pk: int):
    p = selectors.proposal_get(user=request.user, pk=pk)
    attempt(request, services.proposal_implement, proposal=p, note=request.POST.get("note", ""))
    return redirect("brands:proposal_detail", pk=pk)
