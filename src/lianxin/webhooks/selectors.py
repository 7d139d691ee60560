"""Reading subscriptions and their delivery log, scoped through ``org.scoping`` by the
subscription's unit: a town's administrator sees only the hand-offs of their subtree."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from lianxin.org.scoping import scope_queryset, scoped_units
from lianxin.webhooks import rules as webhook_rules
from lianxin.webhooks.models import Delivery, DeliveryAttempt, Subscription

if TYPE_CHECKING:
    from lianxin.accounts.models import User
    from lianxin.integrations.models import Integration
    from lianxin.org.models import Unit


def subscriptions_visible(*, user: User) -> QuerySet[Subscription]:
    """Every subscription in the user's subtrees, newest first, with its delivery count."""
    qs = Subscription.objects.select_related("unit", "integration", "created_by")
    qs = scope_queryset(qs, user, ("unit",)).annotate(delivery_count=Count("deliveries"))
    return qs.order_by("-created_at", "-id")


def subscription_get(*, user: User, pk: int) -> Subscription:
    """One subscription the user may read, or 404 (also when it exists out of scope)."""
    sub = (
        scope_queryset(
            Subscription.objects.select_related("unit", "integration", "created_by"),
            user,
            ("unit",),
        )
        .filter(pk=pk)
        .first()
    )
    if sub is None or not webhook_rules.covers_webhook.test(user, sub):
        raise Http404
    return sub


def deliveries_visible(
    *, user: User, state: str = "", subscription: Subscription | None = None
) -> QuerySet[Delivery]:
    """The delivery log the user may read, newest first, optionally of one state or subscription."""
    qs = Delivery.objects.select_related("subscription", "subscription__unit")
    qs = scope_queryset(qs, user, ("subscription__unit",))
    if state:
        qs = qs.filter(state=state)
    if subscription is not None:
        qs = qs.filter(subscription=subscription)
    return qs


def delivery_get(*, user: User, pk: int) -> Delivery:
    """One delivery with its attempts in order, or 404 out of scope."""
    attempts = Prefetch(
        "attempt_rows", queryset=DeliveryAttempt.objects.select_related("triggered_by")
    )
    delivery = (
        deliveries_visible(user=user)
        .select_related("subscription__integration")
        .prefetch_related(attempts)
        .filter(pk=pk)
        .first()
    )
    if delivery is None or not webhook_rules.covers_webhook.test(user, delivery):
        raise Http404
    return delivery


def integrations_for_subscription(*, user: User) -> QuerySet[Integration]:
    """Active integrations whose unit lies in the user's subtrees (the registration form)."""
    from lianxin.integrations.models import Integration

    qs = Integration.objects.filter(is_active=True).select_related("unit").order_by("name")
    return scope_queryset(qs, user, ("unit",))


def units_for_subscription(*, user: User) -> QuerySet[Unit]:
    """The units a subscription may be registered for: the user's whole staff scope."""
    return scoped_units(user).order_by("path")
