# ruff: noqa: B023 -- the lambdas are called inside the loop iteration that defines them
"""The rates rollup (CaseStat) stays equal to a GROUP BY over the requests after any sequence
of service actions, the rebuild command gives the same table, and the rates/ranking numbers
served from it are the numbers a GROUP BY over the requests gives."""

from __future__ import annotations

import contextlib
import random
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db.models import Avg, Count, F, Q
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from lianxin.cases import rates
from lianxin.cases import services as s
from lianxin.cases.models import OPEN_STATES, Case, CaseStat, Rating, State
from lianxin.cases.stats import COUNTERS, stats_grouped, stats_rebuild
from lianxin.cases.sweep import deadline_sweep
from tests.cases.factories import make_case

pytestmark = pytest.mark.django_db

ACTORS = ["grid_a1", "village_a", "town_a", "county_admin", "dept", "grid_b1", "town_b"]
UNITS = ["grid_a1", "grid_a2", "village_a", "department", "town_a", "grid_b1"]


def rollup_table() -> set[tuple]:
    return set(
        CaseStat.objects.values_list(
            "month",
            "grid_id",
            "unit_id",
            "category_id",
            "handler_id",
            "town_id",
            "village_id",
            *COUNTERS,
        )
    )


def grouped_table() -> set[tuple]:
    return {
        (
            r["stat_month"],
            r["grid_id"],
            r["unit_id"],
            r["top_category"],
            r["owner_user_id"],
            r["stat_town"],
            r["stat_village"],
            *(r[c] for c in COUNTERS),
        )
        for r in stats_grouped()
    }


def assert_rollup_current() -> None:
    assert rollup_table() == grouped_table()


def random_actions(world, rng: random.Random, steps: int) -> None:
    now = timezone.now()
    cats = ["infra-light", "env-garbage", "heat-cold", "other"]
    cases = []
    for i in range(6):
        grid = rng.choice([world.grid_a1, world.grid_a2, world.grid_b1])
        staff = rng.random() < 0.3
        cases.append(
            make_case(
                world,
                grid=grid,
                cat=rng.choice(cats),
                now=now - timedelta(days=rng.choice([0, 2, 40, 75]), hours=i),
                reporter="resident_b" if grid == world.grid_b1 else "resident_a",
                **({"channel": "staff", "created_by": world.users["village_a"]} if staff else {}),
            )
        )
    for _ in range(steps):
        case = Case.objects.get(pk=rng.choice(cases).pk)
        actor = world.users[rng.choice(ACTORS)]
        unit = getattr(world, rng.choice(UNITS))
        action = rng.choice(
            [
                "accept",
                "accept",
                "dispatch",
                "transfer",
                "escalate",
                "start",
                "resolve",
                "resolve",
                "evaluate",
                "evaluate",
                "reject",
                "close",
                "reopen",
                "merge",
                "send_back",
                "extension",
            ]
        )
        resident = world.users["resident_b" if case.grid_id == world.grid_b1.pk else "resident_a"]
        calls = {
            "accept": lambda: s.case_accept(case=case, actor=actor),  # noqa: B023
            "dispatch": lambda: s.case_dispatch(case=case, actor=actor, to_unit=unit),  # noqa: B023
            "transfer": lambda: s.case_transfer(case=case, actor=actor, to_unit=unit, reason="转"),  # noqa: B023
            "escalate": lambda: s.case_escalate(case=case, actor=actor, reason="上报"),  # noqa: B023
            "start": lambda: s.case_start(case=case, actor=actor),  # noqa: B023
            "resolve": lambda: s.case_resolve(case=case, actor=actor, resolution="已处理"),  # noqa: B023
            "evaluate": lambda: s.case_evaluate(  # noqa: B023
                case=case,
                user=resident,  # noqa: B023
                rating=rng.choice([Rating.SATISFIED, Rating.BASIC, Rating.UNSATISFIED]),
            ),
            "reject": lambda: s.case_reject(case=case, actor=actor, reason="不属受理范围"),  # noqa: B023
            "close": lambda: s.case_close(case=case, actor=actor),  # noqa: B023
            "reopen": lambda: s.case_reopen(case=case, actor=actor, reason="再次反映"),  # noqa: B023
            "merge": lambda: s.case_merge(case=case, actor=actor, into=rng.choice(cases)),  # noqa: B023
            "send_back": lambda: s.case_send_back(case=case, actor=actor, reason="派错"),  # noqa: B023
            "extension": lambda: s.case_extension_request(  # noqa: B023
                case=case,
                actor=actor,
                until=(case.resolve_due_at or now) + timedelta(days=3),
                reason="等配件",
            ),  # noqa: B023
        }
        with contextlib.suppress(s.CaseError, PermissionDenied):
            calls[action]()
    deadline_sweep(
        now=now + timedelta(days=30)
    )  # closes the unrated ones (state and rating change)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_rollup_equals_group_by_after_random_actions(world, seed):
    random_actions(world, random.Random(seed), steps=60)
    assert CaseStat.objects.exists()
    assert_rollup_current()
    before = rollup_table()
    assert stats_rebuild() == len(before)
    assert rollup_table() == before
    CaseStat.objects.all().delete()
    call_command("cases_stats_rebuild", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert rollup_table() == before


def test_rollup_follows_each_step(world):
    """A single accept moves the request from the queue's key (no handler) to the handler's."""
    case = make_case(world)
    (row,) = CaseStat.objects.all()
    assert row.handler_id is None and row.total == 1 and row.open == 1
    s.case_accept(case=case, actor=world.users["grid_a1"])
    (row,) = CaseStat.objects.all()
    assert row.handler_id == world.users["grid_a1"].pk and row.accepted_on_time == 1
    s.case_reject(case=case, actor=world.users["grid_a1"], reason="不属受理范围")
    assert not CaseStat.objects.exists()  # rejected requests are not counted


# --- the numbers of the rates pages are those of a GROUP BY over the requests -----------------


def _reference(user, month: str, key_expr):
    """The pre-rollup implementation: GROUP BY over the visible requests."""
    from lianxin.cases.selectors import _month_start, _next_month

    qs = Case.objects.visible_to(user).filter(~Q(state__in=[State.MERGED, State.REJECTED]))
    if month:
        start = _month_start(month)
        qs = qs.filter(created_at__gte=start, created_at__lt=_next_month(start))
    qs = (
        qs.annotate(k=key_expr)
        .order_by()
        .values("k")
        .annotate(
            total=Count("id"),
            accept_decided=Count(
                "id", filter=Q(accepted_on_time__isnull=False) | Q(accept_overdue_at__isnull=False)
            ),
            resolve_decided=Count(
                "id", filter=Q(resolved_at__isnull=False) | Q(resolve_overdue_at__isnull=False)
            ),
            accepted_on_time=Count("id", filter=Q(accepted_on_time=True)),
            resolved=Count("id", filter=Q(resolved_at__isnull=False)),
            resolved_on_time=Count("id", filter=Q(resolved_on_time=True)),
            rated=Count("id", filter=Q(rating__in=["satisfied", "basic", "unsatisfied"])),
            satisfied=Count("id", filter=Q(rating__in=["satisfied", "basic"])),
            open=Count("id", filter=Q(state__in=OPEN_STATES)),
            avg_minutes=Avg("handling_minutes"),
        )
    )
    return {r.pop("k"): r for r in qs}


def _as_dict(row):
    return {
        "total": row.total,
        "accept_decided": row.accept_decided,
        "resolve_decided": row.resolve_decided,
        "accepted_on_time": row.accepted_on_time,
        "resolved": row.resolved,
        "resolved_on_time": row.resolved_on_time,
        "rated": row.rated,
        "satisfied": row.satisfied,
        "open": row.open,
        "avg_minutes": row.avg_minutes,
    }


def _same(a: dict, b: dict) -> None:
    assert set(a) == set(b)
    for k in a:
        ra, rb = dict(a[k]), dict(b[k])
        am, bm = ra.pop("avg_minutes"), rb.pop("avg_minutes")
        assert ra == rb, k
        assert (am is None) == (bm is None) and (am is None or am == pytest.approx(bm)), k


@pytest.mark.parametrize("username", ["county_admin", "town_a", "village_a", "town_b"])
def test_rates_numbers_equal_group_by_over_requests(world, username):
    random_actions(world, random.Random(7), steps=80)
    user = world.users[username]
    month = f"{timezone.localdate():%Y-%m}"
    dims = {
        "unit": F("unit_id"),
        "handler": F("owner_user_id"),
        "category": Coalesce(F("category__parent_id"), F("category_id")),
        "month": TruncMonth("created_at"),
    }
    for m in ("", month):
        for dim, expr in dims.items():
            got = {r.key: _as_dict(r) for r in rates.rates_by(user=user, dimension=dim, month=m)}
            want = _reference(user, m, expr)
            if dim == "month":
                want = {k.date(): v for k, v in want.items()}
            _same(got, want)
        total = _as_dict(rates.rates_total(user=user, month=m))
        ref_total = _reference(user, m, F("id") * 0)
        if ref_total:
            _same({0: total}, ref_total)
        else:
            assert total["total"] == 0
    for level, field in (("town", "town_id"), ("village", "village_id")):
        ranked, _worst = rates.ranking(user=user, month=month, level=level)
        got = {row.unit.pk: _as_dict(row.rates) for row in ranked}
        want = {k: v for k, v in _reference(user, month, F(field)).items() if k is not None}
        assert set(got) <= set(want)
        _same(got, {k: want[k] for k in got})
