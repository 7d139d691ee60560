"""Screens of 回传推送: subscriptions (list, register, detail, deactivate) and the delivery log
(list with a state filter, detail with every attempt, replay). Thin over services/selectors.
The signing secret appears once, in the response to the registration, with ``no-store``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lianxin.core import params
from lianxin.core.decorators import permission_required
from lianxin.core.paging import paginate
from lianxin.webhooks import selectors, services
from lianxin.webhooks.forms import SubscriptionForm
from lianxin.webhooks.models import DeliveryState


class Sealed(str):
    """The secret handed to the template: renders as itself, its repr is opaque (the template
    engine logs a context's repr at DEBUG when a variable fails to resolve)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "'<sealed>'"


def _crumbs(*extra):
    return [{"label": _("推送订阅"), "url": reverse("webhooks:subscription_list")}, *extra]


@permission_required("webhooks.view_webhook")
@require_GET
def subscription_list(request):
    page = paginate(request, selectors.subscriptions_visible(user=request.user))
    context = {
        "page_obj": page,
        "may_manage": request.user.has_perm("webhooks.manage_webhook"),
        "breadcrumbs": _crumbs(),
    }
    return render(request, "webhooks/subscription_list.html", context)


@permission_required("webhooks.manage_webhook")
@require_http_methods(["GET", "POST"])
def subscription_create(request):
    kwargs = {
        "integrations": selectors.integrations_for_subscription(user=request.user),
        "units": selectors.units_for_subscription(user=request.user),
    }
    form = SubscriptionForm(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            sub, secret = services.subscription_create(
                actor=request.user,
                name=d["name"],
                url=d["url"],
                unit=d.get("unit"),
                integration=d.get("integration"),
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        except PermissionDenied:
            form.add_error("unit", _("您无权为该单位登记推送。"))
        else:
            context = {
                "subscription": sub,
                "secret": Sealed(secret),
                "breadcrumbs": _crumbs({"label": sub.name}),
            }
            response = render(request, "webhooks/subscription_created.html", context)
            response["Cache-Control"] = "no-store"
            return response
    context = {"form": form, "breadcrumbs": _crumbs({"label": _("登记推送地址")})}
    status = 422 if request.method == "POST" else 200
    return render(request, "webhooks/subscription_form.html", context, status=status)


@permission_required("webhooks.view_webhook")
@require_GET
def subscription_detail(request, pk):
    sub = selectors.subscription_get(user=request.user, pk=pk)
    recent = selectors.deliveries_visible(user=request.user, subscription=sub)[:10]
    context = {
        "subscription": sub,
        "recent": recent,
        "may_manage": request.user.has_perm("webhooks.manage_webhook", sub),
        "breadcrumbs": _crumbs({"label": sub.name}),
    }
    return render(request, "webhooks/subscription_detail.html", context)


@permission_required("webhooks.manage_webhook")
@require_POST
def subscription_deactivate(request, pk):
    sub = selectors.subscription_get(user=request.user, pk=pk)
    services.subscription_deactivate(actor=request.user, subscription=sub, request=request)
    messages.success(request, _("已停用该推送订阅。"))
    return redirect("webhooks:subscription_detail", pk=sub.pk)


@permission_required("webhooks.view_webhook")
@require_GET
def delivery_list(request):
    state = params.get_choice(request.GET, "state", DeliveryState.values)
    sub_id = params.get_id(request.GET, "subscription")
    subscription = None
    if sub_id is not None:
        subscription = selectors.subscriptions_visible(user=request.user).filter(pk=sub_id).first()
    qs = selectors.deliveries_visible(user=request.user, state=state, subscription=subscription)
    context = {
        "page_obj": paginate(request, qs),
        "state": state,
        "states": DeliveryState.choices,
        "subscription": subscription,
        "breadcrumbs": [{"label": _("推送记录")}],
    }
    return render(request, "webhooks/delivery_list.html", context)


@permission_required("webhooks.view_webhook")
@require_GET
def delivery_detail(request, pk):
    delivery = selectors.delivery_get(user=request.user, pk=pk)
    context = {
        "delivery": delivery,
        "attempts": delivery.attempt_rows.all(),
        "body": services.signing.encode_body(delivery.payload).decode(),
        "may_manage": request.user.has_perm("webhooks.manage_webhook", delivery),
        "breadcrumbs": [
            {"label": _("推送记录"), "url": reverse("webhooks:delivery_list")},
            {"label": delivery.case_code},
        ],
    }
    return render(request, "webhooks/delivery_detail.html", context)


@permission_required("webhooks.manage_webhook")
@require_POST
def delivery_replay(request, pk):
    delivery = selectors.delivery_get(user=request.user, pk=pk)
    try:
        services.delivery_replay(actor=request.user, delivery=delivery, request=request)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已重新发送（事件编号不变）。"))
    return redirect("webhooks:delivery_detail", pk=delivery.pk)
