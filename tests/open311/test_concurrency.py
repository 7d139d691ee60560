"""Concurrent identical Open311 posts with one Idempotency-Key make one request (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from lianxin.cases.models import Case
from lianxin.open311.models import Submission


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_identical_posts_make_one_case(world):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency only meaningful on PostgreSQL")
    from lianxin.cases.models import Category
    from lianxin.integrations.auth import authenticate_token
    from lianxin.open311.defaults import seed_attributes
    from lianxin.open311.models import ServiceAttribute
    from lianxin.open311.services import RequestInput, open311_request_create
    from tests.cases.factories import ensure_categories
    from tests.integrations.factories import make_token

    ensure_categories()
    seed_attributes(Category, ServiceAttribute)
    raw, token = make_token(world.town_a, ["cases.submit_case"], name="12345平台")
    n = 8
    barrier = threading.Barrier(n)
    results: list[tuple[str, bool]] = []
    errors: list[BaseException] = []

    def post():
        try:
            user = authenticate_token(raw)
            barrier.wait()
            case, _submission, created = open311_request_create(
                user=user,
                integration=token.integration,
                data=RequestInput(
                    service_code="infra-road",
                    description="东关路口坑洼，车辆难行。",
                    lat=34.715,
                    lng=104.885,
                    phone="13912345678",
                    idempotency_key="12345-race-1",
                ),
            )
            results.append((case.code, created))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len({code for code, _created in results}) == 1
    assert sum(created for _code, created in results) == 1
    assert Case.objects.count() == 1
    assert Submission.objects.count() == 1
