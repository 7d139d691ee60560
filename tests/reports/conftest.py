from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone


@pytest.fixture
def world(world):
    """The shared world plus the default categories (a transactional test's flush drops them)."""
    from tests.cases.factories import ensure_categories

    ensure_categories()
    return world


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def last_month():
    from lianxin.reports.selectors import previous_month

    return previous_month(timezone.localdate())


def in_last_month(day: int = 10, hour: int = 10) -> datetime:
    m = last_month()
    return datetime(m.year, m.month, day, hour, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def month_cases(world):
    """Requests of last month: three in town A (one left unsigned, so overdue), one in town B."""
    from tests.cases.factories import make_case

    at = in_last_month()
    from lianxin.cases import services as cs
    from lianxin.cases.sweep import deadline_sweep

    cases = {
        "a1": make_case(world, grid=world.grid_a1, title="路灯不亮", now=at),
        "a2": make_case(world, grid=world.grid_a2, title='=HYPERLINK("x")井盖缺失', now=at),
        "a3": make_case(world, grid=world.grid_a1, title="垃圾未清运", now=at + timedelta(hours=1)),
        "b1": make_case(
            world, grid=world.grid_b1, title="乙镇道路破损", reporter="resident_b", now=at
        ),
    }
    grid_worker = world.users["grid_a1"]
    a1 = cs.case_accept(case=cases["a1"], actor=grid_worker, now=at + timedelta(hours=2))
    cs.case_resolve(case=a1, actor=grid_worker, resolution="已修复", now=at + timedelta(hours=5))
    b1 = cs.case_accept(case=cases["b1"], actor=world.users["grid_b1"], now=at + timedelta(hours=1))
    cs.case_resolve(
        case=b1, actor=world.users["grid_b1"], resolution="已修", now=at + timedelta(hours=3)
    )
    deadline_sweep(now=timezone.now())
    for case in cases.values():
        case.refresh_from_db()
    return cases


def pdf_text(data: bytes) -> str:
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)
