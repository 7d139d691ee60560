"""Shared fixtures: ``world`` is a small tree with two sibling subtrees and staff in each.

county 武山县(620524000000)
├── town A 城关镇 ── village A 东关社区 ── grids A1, A2
├── town B 洛门镇 ── village B 张家村 ── grid B1
└── department 县住建局
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date

import pytest

from tests.clock import (  # noqa: F401  (the test clock: fixtures and hooks)
    _pinned_clock,
    clock,
    pytest_configure,
    pytest_report_header,
    pytest_unconfigure,
)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop in e2e tests


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_run_inline(settings):
    """Background jobs run inside the test (immediate backend); tests of the real queue
    switch to the database backend and run the worker themselves."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _chinese_first():
    """Every test starts in the site's language: a request with the English cookie activates
    English in the worker's thread (the locale middleware), which must not leak into the next
    test's spreadsheets and messages."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _steady_calendar(monkeypatch):
    """Every test starts with the working-day calendar unread (another test's rolled-back
    years must not linger in the process), and within a test it is revalidated only when
    changed, never because 30 s went by: a slow test's query counts would otherwise gain the
    revalidation query at random (workdays.calendar.REVALIDATE_SECONDS)."""
    from lianxin.workdays import calendar

    calendar.invalidate()
    monkeypatch.setattr(calendar, "REVALIDATE_SECONDS", 24 * 3600.0)


@pytest.fixture(autouse=True)
def _reset_scope_caches():
    yield
    from lianxin.cases.category_cache import forget_categories
    from lianxin.org.geo import grid_index_reset

    grid_index_reset()
    forget_categories()  # a test's categories roll back with it: no signal says so


@dataclass
class World:
    county: object
    town_a: object
    town_b: object
    village_a: object
    village_b: object
    grid_a1: object
    grid_a2: object
    grid_b1: object
    department: object
    party_org_a: object
    party_org_b: object
    users: dict = field(default_factory=dict)
    persons: dict = field(default_factory=dict)
    households: dict = field(default_factory=dict)


def square(x: float, y: float, size: float = 0.01) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]],
    }


def make_user(
    username: str, *, unit=None, role=None, phone=None, name=None, password="Test-pass-123"
):
    from lianxin.accounts.models import User
    from lianxin.org.services import membership_grant

    user = User.objects.create_user(
        username=username, password=password, phone=phone, display_name=name or username
    )
    if unit is not None and role is not None:
        membership_grant(user=user, unit=unit, role=role)
    return user


def build_world() -> World:
    from lianxin.org.models import Role, UnitKind
    from lianxin.org.services import unit_create
    from lianxin.people.models import Household, PartyMember, Person

    province = unit_create(
        code="620000000000",
        name="甘肃省",
        kind=UnitKind.PROVINCE,
        parent=None,
        division_code="620000000000",
    )
    city = unit_create(
        code="620500000000",
        name="天水市",
        kind=UnitKind.CITY,
        parent=province,
        division_code="620500000000",
    )
    county = unit_create(
        code="620524000000",
        name="武山县",
        kind=UnitKind.COUNTY,
        parent=city,
        division_code="620524000000",
    )
    town_a = unit_create(
        code="620524100000",
        name="城关镇",
        kind=UnitKind.TOWN,
        parent=county,
        division_code="620524100000",
    )
    town_b = unit_create(
        code="620524101000",
        name="洛门镇",
        kind=UnitKind.TOWN,
        parent=county,
        division_code="620524101000",
    )
    village_a = unit_create(
        code="620524100001",
        name="东关社区",
        kind=UnitKind.COMMUNITY,
        parent=town_a,
        division_code="620524100001",
    )
    village_b = unit_create(
        code="620524101201",
        name="张家村",
        kind=UnitKind.VILLAGE,
        parent=town_b,
        division_code="620524101201",
    )
    grid_a1 = unit_create(
        code="620524100001-G01",
        name="东关第1网格",
        kind=UnitKind.GRID,
        parent=village_a,
        boundary=square(104.88, 34.71),
    )
    grid_a2 = unit_create(
        code="620524100001-G02",
        name="东关第2网格",
        kind=UnitKind.GRID,
        parent=village_a,
        boundary=square(104.89, 34.71),
    )
    grid_b1 = unit_create(
        code="620524101201-G01",
        name="张家第1网格",
        kind=UnitKind.GRID,
        parent=village_b,
        boundary=square(104.95, 34.75),
    )
    department = unit_create(
        code="620524000000-D01", name="县住建局", kind=UnitKind.DEPARTMENT, parent=county
    )
    party_org_a = unit_create(
        code="620524100001-P01", name="东关社区党委", kind=UnitKind.PARTY_ORG, parent=village_a
    )
    party_org_b = unit_create(
        code="620524101201-P01", name="张家村党支部", kind=UnitKind.PARTY_ORG, parent=village_b
    )
    w = World(
        county,
        town_a,
        town_b,
        village_a,
        village_b,
        grid_a1,
        grid_a2,
        grid_b1,
        department,
        party_org_a,
        party_org_b,
    )

    w.users["county_admin"] = make_user("county_admin", unit=county, role=Role.COUNTY_ADMIN)
    w.users["supervisor"] = make_user("supervisor", unit=county, role=Role.SUPERVISOR)
    w.users["town_a"] = make_user("town_a", unit=town_a, role=Role.TOWN_STAFF)
    w.users["town_b"] = make_user("town_b", unit=town_b, role=Role.TOWN_STAFF)
    w.users["village_a"] = make_user("village_a", unit=village_a, role=Role.VILLAGE_STAFF)
    w.users["village_b"] = make_user("village_b", unit=village_b, role=Role.VILLAGE_STAFF)
    w.users["grid_a1"] = make_user("grid_a1", unit=grid_a1, role=Role.GRID_WORKER)
    w.users["grid_b1"] = make_user("grid_b1", unit=grid_b1, role=Role.GRID_WORKER)
    w.users["dept"] = make_user("dept", unit=department, role=Role.DEPT_HANDLER)
    w.users["resident_a"] = make_user(
        "13900000001", unit=grid_a1, role=Role.RESIDENT, phone="13900000001", name="甲居民"
    )
    w.users["resident_b"] = make_user(
        "13900000002", unit=grid_b1, role=Role.RESIDENT, phone="13900000002", name="乙居民"
    )
    w.users["party_a"] = make_user(
        "13900000003", unit=village_a, role=Role.PARTY_MEMBER, phone="13900000003", name="甲党员"
    )
    w.users["party_b"] = make_user(
        "13900000004", unit=village_b, role=Role.PARTY_MEMBER, phone="13900000004", name="乙党员"
    )

    h_a = Household.objects.create(
        number="A-0001", grid=grid_a1, address="东关社区3组12号", lng=104.885, lat=34.715
    )
    h_b = Household.objects.create(
        number="B-0001", grid=grid_b1, address="张家村5组8号", lng=104.955, lat=34.755
    )
    w.households = {"a": h_a, "b": h_b}
    # Canary values: unique strings that must never appear to the other subtree.
    w.persons["a"] = Person.objects.create(
        name="甲金丝雀",
        gender="F",
        birth_date=date(1950, 1, 1),
        id_number="620524195001010021",
        phone="13811112222",
        household=h_a,
        relation="户主",
        unit=grid_a1,
        user=w.users["resident_a"],
    )
    w.persons["b"] = Person.objects.create(
        name="乙金丝雀",
        gender="M",
        birth_date=date(1960, 2, 2),
        id_number="620524196002020015",
        phone="13833334444",
        household=h_b,
        relation="户主",
        unit=grid_b1,
        user=w.users["resident_b"],
    )
    w.persons["party_a"] = Person.objects.create(
        name="甲党员", unit=grid_a1, user=w.users["party_a"], phone="13900000003"
    )
    w.persons["party_b"] = Person.objects.create(
        name="乙党员", unit=grid_b1, user=w.users["party_b"], phone="13900000004"
    )
    PartyMember.objects.create(
        person=w.persons["party_a"], party_org=party_org_a, joined_on=date(2001, 7, 1)
    )
    PartyMember.objects.create(
        person=w.persons["party_b"], party_org=party_org_b, joined_on=date(2005, 7, 1)
    )
    return w


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def login(client):
    """Log a test client in as a user (session-level, bypassing the login form)."""

    def _login(user, c=None):
        c = c or client
        c.force_login(user, backend="lianxin.accounts.backends.PhoneOrUsernameBackend")
        return c

    return _login
