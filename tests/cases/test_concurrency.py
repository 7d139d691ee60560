from __future__ import annotations

import threading

import pytest
from django.db import connection

from lianxin.cases import services as s
from lianxin.cases.models import Case, CaseEvent, EventKind
from tests.cases.factories import make_case


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_handlers_accept_at_once_end_with_one_owner(world):
    if connection.vendor != "postgresql":
        pytest.skip("row locks only mean something on PostgreSQL")
    case = make_case(world)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def accept(username):
        from lianxin.accounts.models import User

        try:
            user = User.objects.get(username=username)
            barrier.wait()
            s.case_accept(case=Case.objects.get(pk=case.pk), actor=user)
            outcomes.append("ok")
        except s.CaseError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(u,)) for u in ("grid_a1", "village_a")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused"]
    case.refresh_from_db()
    assert case.owner_user is not None and case.owner_unit is None
    assert CaseEvent.objects.filter(case=case, kind=EventKind.ACCEPT).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_identical_submissions_make_one_case(world):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency only meaningful on PostgreSQL")
    barrier = threading.Barrier(8)

    def submit():
        try:
            barrier.wait()
            make_case(world, idempotency_key="same-token")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Case.objects.filter(idempotency_key="same-token").count() == 1
