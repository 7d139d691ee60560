"""Thin views: teams, model posts and their areas, the ranking, records and point rules."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lianxin.core import params
from lianxin.core.decorators import permission_required, public_view
from lianxin.core.forms import add_validation_error
from lianxin.core.messages import attempt
from lianxin.core.paging import paginate
from lianxin.volunteers import exports, selectors, services
from lianxin.volunteers.forms import AreaForm, PointRuleForm, PostForm, TeamForm
from lianxin.volunteers.models import TeamKind


# ================================================================================= teams and posts
@permission_required("volunteers.view_team")
@require_GET
def team_list(request):
    kind = params.get_str(request.GET, "kind", max_length=20)
    kind = kind if kind in TeamKind.values else ""
    page = paginate(request, selectors.team_list(user=request.user, kind=kind))
    return render(
        request,
        "volunteers/team_list.html",
        {
            "page_obj": page,
            "kind": kind,
            "kinds": TeamKind.choices,
            "breadcrumbs": [{"label": _("队伍")}],
        },
    )


@permission_required("volunteers.manage_team")
@require_http_methods(["GET", "POST"])
def team_new(request):
    units = list(selectors.admin_units(user=request.user))
    form = TeamForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        leader = selectors.member_find(user=request.user, key=d["leader"]) if d["leader"] else None
        if d["leader"] and leader is None:
            form.add_error("leader", _("在您的管辖范围内找不到该账号。"))
        else:
            try:
                team = services.team_create(
                    actor=request.user,
                    unit=next(u for u in units if u.pk == d["unit"]),
                    name=d["name"],
                    kind=d["kind"],
                    leader=leader,
                    description=d["description"],
                    request=request,
                )
            except ValidationError as exc:
                add_validation_error(form, exc)
            else:
                return redirect("volunteers:team_detail", pk=team.pk)
    return render(
        request,
        "volunteers/form.html",
        {
            "form": form,
            "title": _("新建队伍"),
            "breadcrumbs": [
                {"label": _("队伍"), "url": reverse("volunteers:team_list")},
                {"label": _("新建")},
            ],
        },
    )


@permission_required("volunteers.view_team")
@require_GET
def team_detail(request, pk: int):
    team = selectors.team_get(user=request.user, pk=pk)
    return render(
        request,
        "volunteers/team_detail.html",
        {
            "team": team,
            "roll": selectors.team_rollup(team=team),
            "breadcrumbs": [
                {"label": _("队伍"), "url": reverse("volunteers:team_list")},
                {"label": team.name},
            ],
        },
    )


@permission_required("volunteers.manage_team")
@require_POST
def team_member_add(request, pk: int):
    team = selectors.team_get(user=request.user, pk=pk)
    member = selectors.member_find(
        user=request.user, key=params.clean_text(request.POST.get("key"), max_length=50)
    )
    if member is None:
        messages.error(request, _("在您的管辖范围内找不到该账号。"))
    else:
        services.team_member_add(actor=request.user, team=team, user=member, request=request)
        messages.success(request, _("已加入队伍。"))
    return redirect("volunteers:team_detail", pk=pk)


@permission_required("volunteers.manage_team")
@require_POST
def team_member_remove(request, pk: int):
    team = selectors.team_get(user=request.user, pk=pk)
    member = selectors.team_member_get(team=team, user_id=params.require_id(request.POST, "user"))
    if member is not None:
        attempt(
            request, services.team_member_remove, _("已移出队伍。"), team=team, user=member.user
        )
    return redirect("volunteers:team_detail", pk=pk)


@permission_required("volunteers.view_team")
@require_GET
def post_list(request):
    page = paginate(request, selectors.post_list(user=request.user))
    return render(
        request,
        "volunteers/post_list.html",
        {"page_obj": page, "breadcrumbs": [{"label": _("党员示范岗")}]},
    )


@permission_required("volunteers.manage_team")
@require_http_methods(["GET", "POST"])
def post_new(request):
    units = list(selectors.admin_units(user=request.user))
    form = PostForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        holder = selectors.member_find(user=request.user, key=d["holder"])
        if holder is None:
            form.add_error("holder", _("在您的管辖范围内找不到该账号。"))
        else:
            post = services.model_post_create(
                actor=request.user,
                unit=next(u for u in units if u.pk == d["unit"]),
                holder=holder,
                title=d["title"],
                pledge=d["pledge"],
                request=request,
            )
            return redirect("volunteers:post_detail", pk=post.pk)
    return render(
        request,
        "volunteers/form.html",
        {
            "form": form,
            "title": _("设立党员示范岗"),
            "breadcrumbs": [
                {"label": _("党员示范岗"), "url": reverse("volunteers:post_list")},
                {"label": _("新建")},
            ],
        },
    )


@permission_required("volunteers.view_team")
@require_GET
def post_detail(request, pk: int):
    post = selectors.post_get(user=request.user, pk=pk)
    grids = selectors.post_area_grids(user=request.user, post=post)
    return render(
        request,
        "volunteers/post_detail.html",
        {
            "post": post,
            "roll": selectors.post_rollup(post=post),
            "area_form": AreaForm(grids=grids),
            "breadcrumbs": [
                {"label": _("党员示范岗"), "url": reverse("volunteers:post_list")},
                {"label": post.title},
            ],
        },
    )


@permission_required("volunteers.manage_team")
@require_POST
def area_add(request, pk: int):
    post = selectors.post_get(user=request.user, pk=pk)
    grids = selectors.post_area_grids(user=request.user, post=post)
    form = AreaForm(request.POST, grids=grids)
    if form.is_valid():
        chosen = [g for g in grids if g.pk in form.cleaned_data["grids"]]
        attempt(
            request,
            services.area_create,
            _("责任区已划定。"),
            unit=post.unit,
            holder=post.holder,
            name=form.cleaned_data["name"],
            grids=chosen,
            post=post,
        )
    else:
        messages.error(request, _("请填写责任区名称并选择网格。"))
    return redirect("volunteers:post_detail", pk=pk)


@public_view
@require_GET
def post_card(request, pk: int):
    """党员示范岗 public card: the post, its pledge and record; the holder's name masked."""
    post = selectors.post_public_get(pk=pk)
    roll = selectors.post_rollup(post=post)
    return render(
        request,
        "volunteers/post_card.html",
        {"post": post, "n_lit": roll["n_lit"], "n_events": roll["n_events"]},
    )


# ================================================================================= hours and points
@permission_required("volunteers.view_points")
@require_GET
def ranking(request):
    # the export reads the same filters and the same ranking (volunteers.exports)
    data = exports.hours_ranking(actor=request.user, params=exports.hours_filters(request.GET))
    unit = data["unit"]
    units = selectors.ranking_units(user=request.user)
    return render(
        request,
        "volunteers/ranking.html",
        {
            "data": data,
            "unit": unit,
            "units": units,
            "month": data["month"].strftime("%Y-%m"),
            "breadcrumbs": [{"label": _("积分排行")}],
        },
    )


@permission_required("volunteers.view_points")
@require_GET
def hours_export(request):
    """The month's hours and points under the page's filters, as .xlsx (audited)."""
    from lianxin.jobs.exports import export_response

    f = exports.hours_filters(request.GET)
    return export_response(
        request,
        builder=exports.BUILDER,
        params=f,
        rows=exports.hours_rows(actor=request.user, params=f),
        title=_("导出志愿服务时长"),
        kind="volunteers.hours",
    )


@permission_required("volunteers.view_points")
@require_GET
def person_record(request, pk: int):
    person = selectors.person_record_user(
        user=request.user, pk=params.parse_id(pk) or 0
    )  # out of range: 404
    return render(
        request,
        "volunteers/record.html",
        {
            "person": person,
            "rec": selectors.person_record(person=person),
            "own": False,
            "breadcrumbs": [
                {"label": _("积分排行"), "url": reverse("volunteers:ranking")},
                {"label": str(person)},
            ],
        },
    )


@permission_required("volunteers.manage_points")
@require_http_methods(["GET", "POST"])
def point_rules(request):
    top = selectors.points_unit(user=request.user)
    form = PointRuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and top is not None:
        try:
            services.point_rule_set(
                actor=request.user,
                unit=top,
                source_kind=form.cleaned_data["source_kind"],
                points=form.cleaned_data["points"],
                request=request,
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("积分规则已保存。"))
            return redirect("volunteers:point_rules")
    effective = selectors.point_rules_effective(unit=top) if top is not None else []
    return render(
        request,
        "volunteers/point_rules.html",
        {
            "form": form,
            "top": top,
            "effective": effective,
            "rules": selectors.point_rule_list(user=request.user),
            "breadcrumbs": [{"label": _("积分规则")}],
        },
    )
