"""The test clock of tests/clock.py: the pinned suites never see today's real date."""

from __future__ import annotations

import os
from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.clock import ENV, PINNED_AT, SHANGHAI, _instant, parse_clock


def test_pinned_suite_reports_instant():
    """Each test here starts at the pinned instant (or at LIANXIN_TEST_CLOCK); .ci/first-of-month
    runs this one first and prints what the suites see."""
    expected = _instant()
    now = timezone.localtime()
    print(
        f"\n{ENV}={expected.isoformat() if expected else 'system'}: timezone.localtime() = {now.isoformat()}, "
        f"localdate = {timezone.localdate()}, datetime.now() = {datetime.now().isoformat()}"
    )
    if expected is not None:
        assert expected <= now < expected + timedelta(minutes=1)
        assert timezone.localdate() == expected.astimezone(SHANGHAI).date()


def test_clock_fixture_moves_and_comes_back(clock):
    start = timezone.now()
    clock.move_to(datetime(2027, 1, 1, 0, 30, tzinfo=SHANGHAI), tick=False)
    assert timezone.localdate().isoformat() == "2027-01-01"
    clock.shift(timedelta(days=30))
    assert timezone.localtime().isoformat() == "2027-01-31T00:30:00+08:00"
    clock.move_to(start)


@pytest.mark.real_clock
def test_real_clock_marker_keeps_the_session_clock():
    """Not pinned: the machine's clock, or the session's when LIANXIN_TEST_CLOCK names an instant."""
    session_start = parse_clock(os.environ[ENV]) if os.environ.get(ENV, "").strip() else None
    now = timezone.localtime()
    if session_start is None:
        assert not time_machine.escape_hatch.is_travelling()
    else:
        assert session_start <= now < session_start + timedelta(hours=2)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", PINNED_AT),
        ("  ", PINNED_AT),
        ("system", None),
        ("SYSTEM", None),
        ("2027-01-01T00:30", datetime(2027, 1, 1, 0, 30, tzinfo=SHANGHAI)),
        ("2027-01-01T00:30+08:00", datetime(2027, 1, 1, 0, 30, tzinfo=SHANGHAI)),
        ("2026-12-31T16:30Z", datetime(2027, 1, 1, 0, 30, tzinfo=SHANGHAI)),
    ],
)
def test_parse_clock(raw, expected):
    assert parse_clock(raw) == expected


def test_parse_clock_refuses_garbage():
    with pytest.raises(pytest.UsageError):
        parse_clock("next tuesday")
