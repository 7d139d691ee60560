"""Scoped reads: the console's lists and counts, and the monthly figures for the report."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from lianxin.supervision import selectors, services
from lianxin.supervision.selectors import supervision_month_summary
from tests.supervision.factories import decide, issue

pytestmark = pytest.mark.django_db

TZ = timezone.get_fixed_timezone(8 * 60)


def _at(day: int, hour: int = 10, month: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=TZ)


def _filters(**kw):
    return {**selectors.order_filters({}), **kw}


def test_issued_box_is_scoped_by_the_issuing_unit(world):
    mine = issue(world)
    county = issue(world, actor="supervisor", unit=world.town_b)
    ids = lambda who, **kw: set(  # noqa: E731
        selectors.order_list(user=world.users[who], filters=_filters(**kw)).values_list(
            "pk", flat=True
        )
    )
    assert ids("town_a") == {mine.pk}
    assert ids("town_b") == set()
    assert ids("supervisor") == {mine.pk, county.pk}
    assert ids("village_a", box="received") == {mine.pk}
    assert ids("town_b", box="received") == {county.pk}
    assert ids("village_b", box="received") == set()
    assert ids("resident_a", box="received") == set()


def test_counts_by_state_and_filters(world):
    now = timezone.now()
    a = issue(world, hours=2, now=now - timedelta(hours=5))  # overdue
    b = issue(world, now=now)
    services.order_reply(actor=world.users["village_a"], order=b, reply="已处理完毕，请验收。")
    user = world.users["town_a"]
    counts = selectors.state_counts(user=user, filters=_filters(), now=now)
    assert counts == {"all": 2, "issued": 1, "replied": 1, "accepted": 0, "overdue": 1}
    overdue = selectors.order_list(user=user, filters=_filters(state="overdue"), now=now)
    assert list(overdue) == [a]
    assert selectors.order_list(user=user, filters=_filters(q="东关")).count() == 2
    assert selectors.order_list(user=user, filters=_filters(kind="case")).count() == 0


def test_hostile_filters_fall_back():
    f = selectors.order_filters({"box": "x", "state": "\x00", "kind": "1" * 30, "month": "9999-99"})
    assert f == {"box": "issued", "state": "", "kind": "", "month": "", "q": ""}


def test_month_summary(world):
    summary = supervision_month_summary
    # October: two orders to village A, one accepted after a re-issue, one never answered
    o1 = issue(world, now=_at(3), hours=48)
    services.order_reply(
        actor=world.users["village_a"], order=o1, reply="已经处理完成。", now=_at(6)
    )
    services.order_reissue(
        actor=world.users["town_a"],
        order=o1,
        instruction="请补充说明。",
        due_at=_at(10),
        now=_at(7),
    )
    services.order_reply(
        actor=world.users["village_a"], order=o1, reply="补充如下：已完成。", now=_at(8)
    )
    services.order_accept(actor=world.users["town_a"], order=o1, now=_at(9))
    issue(world, now=_at(20), hours=24)  # due the 21st, never answered
    issue(world, actor="supervisor", unit=world.town_b, now=_at(5))  # another subtree
    d = decide(world, kind="rectify", now=_at(12))
    decide(world, kind="interview", now=_at(13))
    services.decision_close(actor=world.users["town_a"], decision=d, note="整改完成。", now=_at(25))
    got = summary(world.village_a, date(2026, 10, 1))
    assert got == summary(world.village_a, "2026-10")
    assert {k: got[k] for k in ("issued", "reissued", "replied", "replied_late", "overdue")} == {
        "issued": 2,
        "reissued": 1,
        "replied": 2,
        "replied_late": 1,
        "overdue": 2,
    }
    assert got["accepted"] == 1 and got["open"] == 1
    assert got["decisions"] == {
        "total": 2,
        "by_kind": {"interview": 1, "notice": 0, "rectify": 1},
        "by_state": {"open": 1, "closed": 1},
    }
    assert got["decisions_closed"] == 1
    # the town's subtree holds the village's orders; town B's figures are its own
    assert summary(world.town_a, "2026-10")["issued"] == 2
    assert summary(world.town_b, "2026-10")["issued"] == 1
    assert summary(world.village_a, "2026-09")["issued"] == 0
    assert summary(world.village_a, "bad")["decisions"]["total"] == 0
