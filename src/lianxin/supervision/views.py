"""Pages of the 督办 console: the orders a level issued (or received), issuing one, an order with
its rounds and the reply / review forms, the monthly 末位 board, and the decisions followed to
closure. Thin: the rules are in ``services`` and ``rules``, the reads in ``selectors``."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lianxin.cases import rates
from lianxin.cases.selectors import case_get
from lianxin.core import params as p
from lianxin.core.decorators import permission_required
from lianxin.core.forms import add_validation_error
from lianxin.core.paging import paginate
from lianxin.jobs.exports import export_response
from lianxin.org.selectors import unit_find
from lianxin.supervision import exports, forms, selectors, services
from lianxin.supervision.models import DecisionKind, DecisionState, OrderKind
from lianxin.supervision.rules import can_issue

LEVELS = [
    ("town", _("乡镇（街道）")),
    ("village", _("村（社区）")),
    ("grid", _("网格")),
    ("department", _("职能部门")),
]


def _order_filters(request) -> dict[str, str]:
    """The list's filters; without ``?box=`` a user who issues to no one opens on the orders
    addressed to their unit."""
    f = selectors.order_filters(request.GET)
    if "box" not in request.GET and not request.user.has_perm("supervision.issue_order"):
        f["box"] = "received"
    return f


def _crumbs(*tail) -> list[dict]:
    return [{"label": _("督办问责"), "url": reverse("supervision:order_list")}, *tail]


@permission_required("supervision.view_order")
@require_GET
def order_list(request):
    f = _order_filters(request)
    now = timezone.now()
    page = paginate(request, selectors.order_list(user=request.user, filters=f, now=now))
    for o in page.object_list:
        o.overdue = o.is_overdue(now)
    return render(
        request,
        "supervision/order_list.html",
        {
            "page_obj": page,
            "f": f,
            "counts": selectors.state_counts(user=request.user, filters=f, now=now),
            "kinds": OrderKind.choices,
            "can_issue": request.user.has_perm("supervision.issue_order"),
            "breadcrumbs": _crumbs({"label": _("督办单")}),
        },
    )


@permission_required("supervision.view_order")
@require_GET
def order_export(request):
    """The order list under the current query string, through the one export mechanism."""
    f = _order_filters(request)
    return export_response(
        request,
        builder=exports.ORDERS_BUILDER,
        params=f,
        rows=selectors.order_list(user=request.user, filters=f).count(),
        title=_("导出督办单"),
        kind="supervision.orders",
    )


def _issue_target(request):
    """The request or unit the order is issued on, from ``?case=`` or ``?unit=`` (scoped)."""
    src = request.POST if request.method == "POST" else request.GET
    case_id = p.get_id(src, "case") or p.get_id(request.GET, "case")
    if case_id is not None:
        case = case_get(user=request.user, pk=case_id)
        units = [u for u in case.unit.ancestors(include_self=True) if can_issue(request.user, u)]
        return case, units, ""
    code = p.get_str(src, "target", max_length=40) or p.get_str(request.GET, "unit", max_length=40)
    unit = unit_find(user=request.user, code=code)
    if unit is None:
        return None, [], ""
    month = p.month_text(src, "month") or p.month_text(request.GET, "month")
    return None, [unit] if can_issue(request.user, unit) else [], month


@permission_required("supervision.issue_order")
def order_new(request):
    case, units, month = _issue_target(request)
    if not units:
        return render(
            request,
            "supervision/order_pick.html",
            {"breadcrumbs": _crumbs({"label": _("发起督办")}), "case": case},
        )
    initial = {"unit": units[-1].pk, "title": case.title if case else ""}
    form = forms.IssueForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        unit = next(u for u in units if u.pk == form.cleaned_data["unit"])
        try:
            order = services.order_issue(
                actor=request.user,
                unit=unit,
                case=case,
                month=month,
                title=form.cleaned_data["title"],
                instruction=form.cleaned_data["instruction"],
                due_at=form.cleaned_data["due_at"],
                request=request,
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("督办单已发出。"))
            return redirect("supervision:order_detail", pk=order.pk)
    return render(
        request,
        "supervision/order_form.html",
        {
            "form": form,
            "case": case,
            "month": month,
            "target": units[0].code if case is None else "",
            "breadcrumbs": _crumbs({"label": _("发起督办")}),
        },
    )


ORDER_ACTIONS = {
    "reply": (forms.ReplyForm, "supervision.reply_order"),
    "accept": (forms.AcceptForm, "supervision.review_order"),
    "reissue": (forms.ReissueForm, "supervision.review_order"),
}


def _run_order_action(request, order, action: str, form):
    data = form.cleaned_data
    if action == "reply":
        services.order_reply(actor=request.user, order=order, reply=data["reply"], request=request)
        return _("回复已提交。")
    if action == "accept":
        services.order_accept(actor=request.user, order=order, note=data["note"], request=request)
        return _("已验收。")
    services.order_reissue(
        actor=request.user,
        order=order,
        instruction=data["instruction"],
        due_at=data["due_at"],
        request=request,
    )
    return _("已重新督办。")


@permission_required("supervision.view_order")
def order_detail(request, pk: int):
    order = selectors.order_get(user=request.user, pk=pk)
    now = timezone.now()
    bound = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ORDER_ACTIONS:
            raise Http404
        form_class, perm = ORDER_ACTIONS[action]
        if not request.user.has_perm(perm, order):
            raise PermissionDenied(perm)
        form = form_class(request.POST)
        if form.is_valid():
            try:
                done = _run_order_action(request, order, action, form)
            except ValidationError as exc:
                add_validation_error(form, exc)
            else:
                messages.success(request, done)
                return redirect("supervision:order_detail", pk=order.pk)
        bound[action] = form
    may_reply = request.user.has_perm("supervision.reply_order", order)
    may_review = request.user.has_perm("supervision.review_order", order)
    context = {
        "order": order,
        "rounds": selectors.order_rounds(order),
        "overdue": order.is_overdue(now),
        "decisions": order.decisions.all(),
        "breadcrumbs": _crumbs({"label": order.code}),
    }
    if may_reply and order.state == "issued":
        context["reply_form"] = bound.get("reply") or forms.ReplyForm()
    if may_review and order.state == "replied":
        context["accept_form"] = bound.get("accept") or forms.AcceptForm()
    if may_review and (order.state == "replied" or context["overdue"]):
        context["reissue_form"] = bound.get("reissue") or forms.ReissueForm()
    if may_review and request.user.has_perm("supervision.decide", order.unit):
        context["decide_url"] = (
            reverse("supervision:decision_new")
            + f"?unit={order.unit.code}&order={order.pk}&month={order.month}"
        )
    return render(request, "supervision/order_detail.html", context)


@permission_required("supervision.decide")
@require_GET
def ranking(request):
    """The monthly 末位 list (as ``cases`` ranks it) with overdue requests, orders and decisions."""
    # the last finished month by default: 末位 is decided on a month's complete figures
    last = timezone.localdate().replace(day=1) - timedelta(days=1)
    month = p.month_text(request.GET, "month") or f"{last:%Y-%m}"
    level = p.get_choice(request.GET, "level", rates.LEVELS, default="town")
    board = selectors.ranking_board(user=request.user, month=month, level=level)
    return render(
        request,
        "supervision/ranking.html",
        {
            "board": board,
            "month": month,
            "level": level,
            "levels": LEVELS,
            "breadcrumbs": _crumbs({"label": _("末位问责")}),
        },
    )


@permission_required("supervision.view_order")
@require_GET
def decision_list(request):
    f = selectors.decision_filters(request.GET)
    page = paginate(request, selectors.decision_list(user=request.user, filters=f))
    today = timezone.localdate()
    for d in page.object_list:
        d.overdue = d.is_overdue(today)
    return render(
        request,
        "supervision/decision_list.html",
        {
            "page_obj": page,
            "f": f,
            "kinds": DecisionKind.choices,
            "states": DecisionState.choices,
            "breadcrumbs": _crumbs({"label": _("问责决定")}),
        },
    )


@permission_required("supervision.decide")
def decision_new(request):
    src = request.POST if request.method == "POST" else request.GET
    unit = unit_find(user=request.user, code=p.get_str(src, "unit", max_length=40))
    if unit is None or not can_issue(request.user, unit):
        return render(
            request,
            "supervision/order_pick.html",
            {"breadcrumbs": _crumbs({"label": _("问责决定")}), "decision": True},
        )
    month = p.month_text(src, "month")
    order_id = p.get_id(src, "order")
    order = (
        selectors.unit_orders(user=request.user, unit=unit).filter(pk=order_id).first()
        if order_id
        else None
    )
    form = forms.DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_take(
                actor=request.user,
                unit=unit,
                month=month,
                order=order,
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_validation_error(form, exc)
        else:
            messages.success(request, _("问责决定已记录。"))
            return redirect("supervision:decision_detail", pk=decision.pk)
    return render(
        request,
        "supervision/decision_form.html",
        {
            "form": form,
            "unit": unit,
            "month": month,
            "order": order,
            "breadcrumbs": _crumbs({"label": _("问责决定")}),
        },
    )


DECISION_ACTIONS = {"note": forms.NoteForm, "close": forms.CloseForm}


@permission_required("supervision.view_order")
def decision_detail(request, pk: int):
    decision = selectors.decision_get(user=request.user, pk=pk)
    may_follow = request.user.has_perm("supervision.follow_decision", decision)
    bound = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in DECISION_ACTIONS:
            raise Http404
        if not may_follow:
            raise PermissionDenied("supervision.follow_decision")
        form = DECISION_ACTIONS[action](request.POST)
        if form.is_valid():
            try:
                if action == "note":
                    services.decision_note(
                        actor=request.user,
                        decision=decision,
                        text=form.cleaned_data["text"],
                        request=request,
                    )
                else:
                    services.decision_close(
                        actor=request.user,
                        decision=decision,
                        note=form.cleaned_data["note"],
                        request=request,
                    )
            except ValidationError as exc:
                add_validation_error(form, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect("supervision:decision_detail", pk=decision.pk)
        bound[action] = form
    context = {
        "decision": decision,
        "notes": decision.notes.select_related("author"),
        "overdue": decision.is_overdue(),
        "breadcrumbs": _crumbs(
            {"label": _("问责决定"), "url": reverse("supervision:decision_list")},
            {"label": decision.get_kind_display()},
        ),
    }
    if may_follow and decision.state == DecisionState.OPEN:
        context["note_form"] = bound.get("note") or forms.NoteForm()
        context["close_form"] = bound.get("close") or forms.CloseForm()
    return render(request, "supervision/decision_detail.html", context)
