"""URL kwargs for the webhooks routes: a subscription of town A registered by the county
administrator (the only role that may deactivate it or replay its deliveries), with a failed
delivery of a town-A request. Its URL is a closed loopback port, so a replay sends nothing."""

from __future__ import annotations


def _subscription(world):
    from lianxin.webhooks.models import Subscription
    from lianxin.webhooks.services import subscription_create

    sub = Subscription.objects.filter(name="甲镇金丝雀推送").first()
    if sub is None:
        sub, _secret = subscription_create(
            actor=world.users["county_admin"],
            name="甲镇金丝雀推送",
            url="https://127.0.0.1:9/canary",
            unit=world.town_a,
        )
    return sub


def _delivery(world):
    from lianxin.cases.models import CaseEvent
    from lianxin.webhooks.models import Delivery, DeliveryState
    from tests.cases.factories import make_case

    sub = _subscription(world)
    delivery = Delivery.objects.filter(subscription=sub).first()
    if delivery is None:
        case = make_case(world, idempotency_key="webhooks-walk")
        event = CaseEvent.objects.filter(case=case).first()
        delivery = Delivery.objects.create(
            subscription=sub,
            case_event=event,
            case_code=case.code,
            event_kind=event.kind,
            payload={"kind_label": "甲镇金丝雀事项", "case": {"code": case.code}},
            state=DeliveryState.FAILED,
            attempts=1,
            attempt_limit=1,
            last_error="甲镇金丝雀错误",
        )
    return delivery


ROUTE_KWARGS = {
    "webhooks:subscription_detail": lambda w: {"pk": _subscription(w).pk},
    "webhooks:subscription_deactivate": lambda w: {"pk": _subscription(w).pk},
    "webhooks:delivery_detail": lambda w: {"pk": _delivery(w).pk},
    "webhooks:delivery_replay": lambda w: {"pk": _delivery(w).pk},
}
# Town A's administrator reads the subscription and the log; only the county's changes them.
ROUTE_OWNERS = {
    "webhooks:subscription_deactivate": "county_admin",
    "webhooks:delivery_replay": "county_admin",
}


def CANARIES(world):  # noqa: N802 (the route test's name)
    _delivery(world)
    return ["甲镇金丝雀推送", "甲镇金丝雀事项", "甲镇金丝雀错误"]
