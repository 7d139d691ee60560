"""The payload carries the request's code, state, handling unit and step, never personal data;
a receiver checks the signature and the timestamp with ``signing.verify``."""

from __future__ import annotations

import json

import pytest

from lianxin.cases import services as case_services
from lianxin.webhooks import signing
from lianxin.webhooks.models import Delivery, Subscription
from tests.cases.factories import make_case
from tests.clock import PINNED_AT
from tests.webhooks.factories import make_subscription

pytestmark = [pytest.mark.django_db, pytest.mark.clock(PINNED_AT, tick=False)]

PHONE = "13912345678"
ID_NUMBER = "620524199001011234"


def test_no_personal_data_leaves(world, receiver, django_capture_on_commit_callbacks):
    sub, _secret = make_subscription(world, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(
            world,
            title="王金丝雀家门口路灯不亮",
            description=f"联系王金丝雀 {PHONE}，身份证 {ID_NUMBER}，东关路金丝雀巷 3 号",
            address="东关路金丝雀巷 3 号",
        )
    with django_capture_on_commit_callbacks(execute=True):
        case = case_services.case_accept(case=case, actor=world.users["grid_a1"])
    with django_capture_on_commit_callbacks(execute=True):
        case_services.case_resolve(
            case=case, actor=world.users["grid_a1"], resolution=f"已电话回访 {PHONE}，路灯已修好"
        )
    bodies = [r.body.decode() for r in receiver.received]
    assert len(bodies) == 3
    stored = [json.dumps(d.payload, ensure_ascii=False) for d in Delivery.objects.all()]
    user = world.users["resident_a"]
    forbidden = ["金丝雀", PHONE, ID_NUMBER, user.display_name, case.reporter_phone]
    for text in bodies + stored:
        leaked = [f for f in forbidden if f and f in text]
        assert not leaked, f"{leaked} in {text}"
    resolved = json.loads(bodies[-1])
    assert resolved["note"] == "已电话回访 139****5678，路灯已修好"
    assert set(resolved) == {
        "event_id",
        "type",
        "occurred_at",
        "kind",
        "kind_label",
        "note",
        "case",
    }
    assert set(resolved["case"]) == {
        "code", "external_id", "state", "state_label", "from_state", "unit"
    }  # fmt: skip
    assert resolved["case"]["unit"] == {"code": case.unit.code, "name": case.unit.name}
    assert resolved["occurred_at"] == PINNED_AT.isoformat()
    assert sub.pk in Delivery.objects.values_list("subscription", flat=True)


def test_the_secret_is_stored_encrypted_and_signs(
    world, receiver, django_capture_on_commit_callbacks
):
    sub, secret = make_subscription(world, receiver.url)
    assert secret.startswith("whsec_") and len(secret) > 40
    raw = Subscription.objects.filter(pk=sub.pk).values_list("secret_encrypted", flat=True)[0]
    assert secret not in raw
    with django_capture_on_commit_callbacks(execute=True):
        make_case(world)
    got = receiver.received[0]
    now = PINNED_AT.timestamp()
    args = {
        "timestamp": got.headers["X-Lianxin-Timestamp"],
        "signature": got.headers["X-Lianxin-Signature"],
    }
    assert signing.verify(secret=secret, body=got.body, now=now, **args)
    assert not signing.verify(secret="whsec_other", body=got.body, now=now, **args)
    assert not signing.verify(secret=secret, body=got.body + b" ", now=now, **args)
    assert not signing.verify(secret=secret, body=got.body, now=now + 301, **args)
    assert not signing.verify(
        secret=secret, body=got.body, now=now, timestamp="x", signature=args["signature"]
    )
