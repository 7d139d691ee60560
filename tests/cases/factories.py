"""Helpers that build requests through the services (never by hand)."""

from __future__ import annotations

import itertools

from lianxin.cases.models import Category, Channel
from lianxin.cases.services import case_submit

_seq = itertools.count(1)


def ensure_categories() -> None:
    """The data migration seeds them; a transactional test's flush removes them again."""
    if not Category.objects.filter(code="other").exists():
        from lianxin.cases.categories import seed_categories
        from lianxin.cases.models import DeadlineRule

        seed_categories(Category, DeadlineRule)


def category(code: str = "infra-light") -> Category:
    ensure_categories()
    return Category.objects.get(code=code)


def make_case(
    world,
    *,
    grid=None,
    title="路灯不亮",
    description="小区门口的路灯坏了三天，晚上很黑。",
    channel=Channel.RESIDENT,
    reporter="resident_a",
    created_by=None,
    cat="infra-light",
    now=None,
    **kw,
):
    user = world.users[reporter] if isinstance(reporter, str) else reporter
    case, _created = case_submit(
        title=title,
        description=description,
        category=category(cat),
        grid=grid or world.grid_a1,
        channel=channel,
        reporter=user,
        reporter_name=getattr(user, "display_name", "") or "张三",
        reporter_phone=getattr(user, "phone", "") or "13900000009",
        created_by=created_by,
        now=now,
        idempotency_key=kw.pop("idempotency_key", f"t-{next(_seq)}"),
        **kw,
    )
    return case
