"""Never two claimants, under real concurrency (PostgreSQL row locks)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from lianxin.wishes import services
from lianxin.wishes.models import ClaimantKind, Wish, WishClaim, WishStatus
from tests.conftest import build_world, make_user
from tests.wishes.factories import make_wish


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_make_exactly_one_claimant():
    if connection.vendor != "postgresql":
        pytest.skip("row locks only mean something on PostgreSQL")
    from lianxin.org.models import Role

    world = build_world()
    wish = make_wish(world, "published")
    claimants = [
        make_user(f"1380000{i:04d}", unit=world.village_a, role=Role.PARTY_MEMBER) for i in range(8)
    ]
    barrier = threading.Barrier(len(claimants))
    results: list[str] = []
    lock = threading.Lock()

    def run(user):
        try:
            barrier.wait()
            w = Wish.objects.get(pk=wish.pk)
            services.wish_claim(actor=user, wish=w, kind=ClaimantKind.PARTY_MEMBER)
            outcome = "ok"
        except ValidationError:
            outcome = "refused"
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=(u,)) for u in claimants]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok"] + ["refused"] * (len(claimants) - 1)
    assert WishClaim.objects.filter(wish=wish, is_active=True).count() == 1
    wish.refresh_from_db()
    assert wish.status == WishStatus.CLAIMED
    assert wish.claimed_by_id == WishClaim.objects.get(wish=wish).user_id


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_identical_posts_make_one_wish():
    if connection.vendor != "postgresql":
        pytest.skip("only meaningful on PostgreSQL")
    from lianxin.wishes.models import WishCategory

    world = build_world()
    barrier = threading.Barrier(10)

    def run():
        try:
            barrier.wait()
            services.wish_post(
                actor=world.users["village_a"],
                unit=world.grid_a1,
                title="想要一台收音机",
                category=WishCategory.DAILY,
                beneficiary_name="王奶奶",
                submission_key="same-key",
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Wish.objects.count() == 1
