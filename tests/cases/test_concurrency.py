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


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_writes_to_one_rollup_key_keep_it_exact(world):
    """Eight threads submit, then resolve, requests that share one rollup key at the same moment:
    the key's row is locked before it is recounted, so no writer's count is lost."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrency only meaningful on PostgreSQL")
    from lianxin.cases.models import CaseStat
    from tests.cases.test_stats import assert_rollup_current

    n = 8
    barrier = threading.Barrier(n)
    created: list[int] = []

    def submit(i):
        try:
            barrier.wait()
            created.append(make_case(world, channel="staff", created_by=world.users["grid_a1"]).pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(created) == n
    (row,) = CaseStat.objects.all()
    assert row.total == n and row.open == n
    for pk in created:
        s.case_accept(case=Case.objects.get(pk=pk), actor=world.users["grid_a1"])
    barrier = threading.Barrier(n)

    def resolve(pk):
        from lianxin.accounts.models import User

        try:
            barrier.wait()
            s.case_resolve(
                case=Case.objects.get(pk=pk),
                actor=User.objects.get(username="grid_a1"),
                resolution="已处理",
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=resolve, args=(pk,)) for pk in created]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    (row,) = CaseStat.objects.all()
    assert row.total == n and row.resolved == n and row.open == 0
    assert_rollup_current()
