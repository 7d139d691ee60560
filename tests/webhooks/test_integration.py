"""A subscription for an integration hears the requests that came in through it (and gets
their external id back), nothing else; a unit subscription hears its subtree's whatever the
channel."""

from __future__ import annotations

import json

import pytest
from django.db import transaction

from lianxin.integrations.services import record_origin
from lianxin.webhooks.models import Delivery
from tests.cases.factories import make_case
from tests.clock import PINNED_AT
from tests.integrations.factories import make_token
from tests.webhooks.factories import make_subscription

pytestmark = [pytest.mark.django_db, pytest.mark.clock(PINNED_AT, tick=False)]


def _from(world, integration, external_id, **kw):
    """A request created through an integration: the origin is recorded in the same
    transaction as the submission, as the API does."""
    with transaction.atomic():
        case = make_case(world, **kw)
        record_origin(case=case, integration=integration, external_id=external_id)
    return case


def test_an_integration_hears_its_own_requests_with_their_external_id(
    world, receiver, django_capture_on_commit_callbacks
):
    _raw, token = make_token(world.county, ["cases.submit_case"], name="市12345平台")
    _raw, other_token = make_token(world.county, ["cases.submit_case"], name="微信渠道")
    sub, _secret = make_subscription(world, receiver.url, integration=token.integration)
    other, _secret = make_subscription(
        world, receiver.url, integration=other_token.integration, name="微信"
    )
    assert sub.unit == world.county
    with django_capture_on_commit_callbacks(execute=True):
        case = _from(
            world, token.integration, "12345-0001", grid=world.grid_b1, reporter="resident_b"
        )
    with django_capture_on_commit_callbacks(execute=True):
        make_case(world)  # a resident's own request: not from the integration
    delivery = Delivery.objects.get(subscription=sub)
    assert delivery.case_code == case.code
    assert delivery.payload["case"]["external_id"] == "12345-0001"
    assert not Delivery.objects.filter(subscription=other).exists()
    body = json.loads(receiver.received[0].body)
    assert body["case"]["external_id"] == "12345-0001"


def test_a_unit_subscription_gets_no_external_id(
    world, receiver, django_capture_on_commit_callbacks
):
    _raw, token = make_token(world.county, ["cases.submit_case"], name="市12345平台")
    unit_sub, _secret = make_subscription(world, receiver.url, unit=world.town_a)
    with django_capture_on_commit_callbacks(execute=True):
        _from(world, token.integration, "12345-0002")
    delivery = Delivery.objects.get(subscription=unit_sub)
    assert delivery.payload["case"]["external_id"] is None


def test_an_inactive_integration_hears_nothing(world, receiver, django_capture_on_commit_callbacks):
    _raw, token = make_token(world.county, ["cases.submit_case"], name="市12345平台")
    sub, _secret = make_subscription(world, receiver.url, integration=token.integration)
    type(token.integration).objects.filter(pk=token.integration_id).update(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        _from(world, token.integration, "12345-0003")
    assert not Delivery.objects.filter(subscription=sub).exists()


def test_register_for_an_integration_on_the_screen(world, client, login, receiver):
    from django.urls import reverse

    from lianxin.webhooks.models import Subscription

    _raw, token = make_token(world.county, ["cases.submit_case"], name="市12345平台")
    login(world.users["county_admin"])
    url = reverse("webhooks:subscription_create")
    assert "市12345平台" in client.get(url).content.decode()  # offered in the form
    data = {"name": "回传12345", "url": receiver.url, "integration": token.integration_id}
    response = client.post(url, data)
    assert (
        response.status_code == 200 and 'data-testid="webhook-secret"' in response.content.decode()
    )
    sub = Subscription.objects.get()
    assert sub.integration == token.integration and sub.unit == world.county
    both = {**data, "unit": world.town_a.pk}
    assert client.post(url, both).status_code == 422  # one of the two, not both
