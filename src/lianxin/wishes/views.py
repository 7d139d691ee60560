"""Thin views over the wish services and selectors."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lianxin.core import params
from lianxin.core.decorators import permission_required, public_view
from lianxin.core.forms import add_validation_error
from lianxin.core.keyset import request_keyset_page
from lianxin.core.paging import paginate
from lianxin.org.models import Role
from lianxin.org.scoping import user_scope
from lianxin.volunteers.selectors import posts_public
from lianxin.wishes import rules as wish_rules
from lianxin.wishes import selectors, services
from lianxin.wishes.claimed import WishAlreadyClaimed, claimant_shown, claimed_when
from lianxin.wishes.forms import (
    ClaimForm,
    ConfirmForm,
    DeclineForm,
    LightForm,
    WishForm,
    WishOnBehalfForm,
    fresh_key,
)
from lianxin.wishes.models import ClaimantKind, WishStatus

# The orders of selectors.wish_list and selectors.wish_claimable, ending with the id (the
# keyset's tie-break).
WISH_ORDER = ("-created_at", "-id")
CLAIMABLE_ORDER = ("published_at", "id")


def _crumbs(*extra):
    return [{"label": _("微心愿"), "url": reverse("wishes:wish_list")}, *extra]


def _error(request, exc: ValidationError) -> None:
    for msg in exc.messages:
        messages.error(request, msg)


@permission_required("wishes.view_wish")
@require_GET
def wish_list(request):
    status = params.get_str(request.GET, "status", max_length=20)
    if status not in WishStatus.values:
        status = ""
    q = params.get_str(request.GET, "q")
    # A county's or the province's wishes: a keyset page in the list's order (newest first,
    # then id) reads the same rows at any depth, and the tabs' counts stop at a bound
    # (issue 16, core.keyset).
    page = request_keyset_page(
        request,
        selectors.wish_list(user=request.user, status=status, q=q),
        order=WISH_ORDER,
        tag="wishes.list",
    )
    counts = selectors.wish_status_counts(user=request.user)
    return render(
        request,
        "wishes/wish_list.html",
        {
            "page_obj": page,
            "status": status,
            "q": q,
            "statuses": [(v, label, counts.get(v, 0)) for v, label in WishStatus.choices],
            "breadcrumbs": [{"label": _("微心愿")}],
        },
    )


@permission_required("wishes.post_wish")
@require_http_methods(["GET", "POST"])
def wish_new(request):
    scope = user_scope(request.user)
    on_behalf = scope.is_staff
    person = None
    if on_behalf:
        units = selectors.post_units(user=request.user)
        form = WishOnBehalfForm(request.POST or None, units=units, initial={"key": fresh_key()})
    else:
        person = selectors.own_person(user=request.user)
        if person is None:
            messages.error(request, _("您的账号尚未关联住户信息，请联系社区代为提交。"))
            return redirect("core:home")
        form = WishForm(request.POST or None, initial={"key": fresh_key()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {k: data[k] for k in ("title", "category", "content", "value")}
        if on_behalf:
            unit = selectors.post_unit_get(user=request.user, pk=data["unit"])
            if unit is None:
                raise PermissionDenied
            fields |= {k: data[k] for k in ("beneficiary_name", "beneficiary_tag")}
        else:
            unit = person.unit
        try:
            wish = services.wish_post(
                actor=request.user,
                unit=unit,
                submission_key=data["key"],
                request=request,
                **fields,
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("心愿已提交，社区审核后会发布到心愿墙。"))
            return redirect("wishes:wish_detail", pk=wish.pk)
    return render(
        request,
        "wishes/wish_form.html",
        {"form": form, "on_behalf": on_behalf, "breadcrumbs": [{"label": _("提交心愿")}]},
    )


def _claimed_page(request, wish, status: int = 200):
    """该心愿已被认领: who (masked) and when, and a way back to the claim list."""
    return render(
        request,
        "wishes/claimed.html",
        {
            "wish": wish,
            "who": claimant_shown(wish),
            "when": claimed_when(wish),
            "breadcrumbs": [
                {"label": _("认领心愿"), "url": reverse("wishes:claimable")},
                {"label": wish.title},
            ],
        },
        status=status,
    )


def _wish_or_claimed(request, pk: int):
    """The wish, or (for someone who could have claimed it) the claimed wish they lost."""
    try:
        return selectors.wish_get(user=request.user, pk=pk), False
    except Http404:
        lost = selectors.wish_claimed_in_area(user=request.user, pk=pk)
        if lost is None:
            raise
        return lost, True


@permission_required("wishes.own_wish")
@require_GET
def wish_detail(request, pk: int):
    wish, lost = _wish_or_claimed(request, pk)
    if lost:
        return _claimed_page(request, wish)
    user = request.user
    is_claimant = wish.claimed_by_id == user.pk
    can_review = wish_rules.reviews_wish.test(user, wish)
    teams = []
    if wish.status == WishStatus.PUBLISHED:
        teams = selectors.claim_teams(user=user)
    return render(
        request,
        "wishes/wish_detail.html",
        {
            "wish": wish,
            "events": selectors.wish_timeline(wish=wish),
            "can_review": can_review,
            "is_claimant": is_claimant,
            "can_confirm": wish_rules.acts_for_resident.test(user, wish),
            "show_names": can_review,
            "teams": teams,
            "is_staff": user_scope(user).is_staff,
            "decline_form": DeclineForm(),
            "light_form": LightForm(),
            "confirm_form": ConfirmForm(),
            "breadcrumbs": _crumbs({"label": wish.title})
            if user_scope(user).is_staff
            else [{"label": wish.title}],
        },
    )


def _act(request, pk: int, fn, ok: str, text: str = ""):
    """One step on the wish through its service; ``text`` names the one POST field it takes
    (reason, note or thanks). Refusals come back as messages on the wish page."""
    wish = selectors.wish_get(user=request.user, pk=pk)
    kwargs = {text: request.POST.get(text, "")} if text else {}
    try:
        fn(actor=request.user, wish=wish, request=request, **kwargs)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, ok)
    return redirect("wishes:wish_detail", pk=pk)


@permission_required("wishes.review_wish")
@require_POST
def wish_publish(request, pk: int):
    return _act(request, pk, services.wish_publish, _("心愿已发布到心愿墙。"))


@permission_required("wishes.review_wish")
@require_POST
def wish_decline(request, pk: int):
    return _act(request, pk, services.wish_decline, _("已退回，并告知心愿人原因。"), "reason")


@permission_required("wishes.review_wish")
@require_POST
def wish_chase(request, pk: int):
    return _act(request, pk, services.wish_chase, _("已记录催办。"), "note")


@permission_required("wishes.claim_wish")
@require_POST
def wish_claim(request, pk: int):
    wish, _lost = _wish_or_claimed(request, pk)
    form = ClaimForm(request.POST)
    kind = form.data.get("kind") or ClaimantKind.PARTY_MEMBER
    team = (
        selectors.claim_team_get(user=request.user, pk=form.data.get("team"))
        if kind == ClaimantKind.TEAM
        else None
    )
    unit = selectors.claim_unit(user=request.user) if kind == ClaimantKind.UNIT else None
    error = ""
    try:
        wish = services.wish_claim(
            actor=request.user, wish=wish, kind=kind, team=team, unit=unit, request=request
        )
    except WishAlreadyClaimed as exc:
        if not request.htmx and exc.wish.claimed_by_id != request.user.pk:
            return _claimed_page(request, exc.wish, status=409)
        error = exc.messages[0]
    except ValidationError as exc:
        error = exc.messages[0]
    except PermissionDenied as exc:
        # The claimant rules (party member, team member, own unit) explain themselves.
        error = (
            str(exc)
            if str(exc) and not str(exc).startswith("wishes.")
            else _("您不能认领这个心愿。")
        )
    if request.htmx:
        wish.refresh_from_db()
        return render(
            request,
            "wishes/partials/claim_result.html",
            {"wish": wish, "error": error, "mine": wish.claimed_by_id == request.user.pk},
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("认领成功！请尽快联系社区，帮心愿人实现心愿。"))
    return redirect("wishes:wish_detail", pk=pk)


@permission_required("wishes.claim_wish")
@require_POST
def wish_release(request, pk: int):
    return _act(request, pk, services.wish_release, _("已放弃认领，心愿回到心愿墙。"), "reason")


@permission_required("wishes.claim_wish")
@require_POST
def wish_light(request, pk: int):
    wish = selectors.wish_get(user=request.user, pk=pk)
    form = LightForm(request.POST, request.FILES)
    if not form.is_valid():
        for errs in form.errors.values():
            for e in errs:
                messages.error(request, e)
        return redirect("wishes:wish_detail", pk=pk)
    try:
        services.wish_light(
            actor=request.user,
            wish=wish,
            photo=form.cleaned_data["photo"],
            note=form.cleaned_data["note"],
            request=request,
        )
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("心愿已点亮，等待心愿人确认。"))
    return redirect("wishes:wish_detail", pk=pk)


@permission_required("wishes.own_wish")
@require_POST
def wish_confirm(request, pk: int):
    return _act(request, pk, services.wish_confirm, _("已确认心愿实现，谢谢！"), "thanks")


@permission_required("wishes.own_wish")
@require_POST
def wish_thank(request, pk: int):
    return _act(request, pk, services.wish_thank, _("感谢的话已送达。"), "thanks")


@permission_required("wishes.own_wish")
@require_GET
def wish_photo(request, pk: int):
    """The lit photo, only through the scoped selector, never cached by shared caches."""
    wish = selectors.wish_get(user=request.user, pk=pk)
    if not wish.lit_photo:
        raise Http404
    try:
        handle = wish.lit_photo.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@permission_required("wishes.claim_wish")
@require_GET
def claimable(request):
    # Staff see every published wish of their scope: a keyset page, oldest first (core.keyset).
    page = request_keyset_page(
        request,
        selectors.wish_claimable(user=request.user),
        order=CLAIMABLE_ORDER,
        tag="wishes.claimable",
    )
    scope = user_scope(request.user)
    if scope.is_staff:
        quick_kind = ClaimantKind.UNIT
    elif scope.has_role(Role.PARTY_MEMBER):
        quick_kind = ClaimantKind.PARTY_MEMBER
    else:
        quick_kind = ClaimantKind.VOLUNTEER
    return render(
        request,
        "wishes/claimable.html",
        {"page_obj": page, "quick_kind": quick_kind, "breadcrumbs": [{"label": _("认领心愿")}]},
    )


@permission_required("wishes.own_wish")
@require_GET
def mine(request):
    return render(
        request,
        "wishes/mine.html",
        {
            "wall_code": selectors.home_community_code(user=request.user),
            "posted": selectors.wish_mine(user=request.user)[:50],
            "claimed": selectors.wish_claimed_by(user=request.user)[:50],
            "breadcrumbs": [{"label": _("我的心愿")}],
        },
    )


@permission_required("wishes.review_wish")
@require_GET
def stale(request):
    page = paginate(request, selectors.wish_stale(user=request.user))
    return render(
        request,
        "wishes/stale.html",
        {"page_obj": page, "breadcrumbs": _crumbs({"label": _("久未认领")})},
    )


@permission_required("wishes.view_stats")
@require_GET
def stats(request):
    year = params.get_year(request.GET, "year")
    data = selectors.wish_stats(user=request.user, year=year)
    return render(
        request,
        "wishes/stats.html",
        {"stats": data, "breadcrumbs": _crumbs({"label": _("点亮统计")})},
    )


@permission_required("wishes.view_stats")
@require_GET
def stats_export(request):
    """The lit counts as .xlsx (by town, community, claimant, month); audited, since claimant
    names are people's names. Small: always written in the request."""
    from lianxin.core.spreadsheets import xlsx_response
    from lianxin.wishes.exports import stats_sheets

    year = params.get_year(request.GET, "year")
    filename, sheets = stats_sheets(actor=request.user, params={"year": year}, request=request)
    return xlsx_response(filename, sheets)


@public_view
@require_GET
def wall(request, code: str):
    """心愿墙 of one village or community: titles and masked names only, no phone or address."""
    community = selectors.wall_community(code=code)
    page = paginate(request, selectors.wall_wishes(community=community), per_page=30)
    return render(
        request,
        "wishes/wall.html",
        {
            "community": community,
            "page_obj": page,
            "counts": selectors.wall_counts(community=community),
            "posts": posts_public(unit=community),
        },
    )
