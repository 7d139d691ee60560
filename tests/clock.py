"""The test clock: business dates in tests never come from the real calendar.

* The date-heavy suites (``PINNED_SUITES``) start every test at ``PINNED_AT``, a plain
  mid-month Wednesday morning in China time, through time-machine (ticking, so timestamps
  still increase and timeouts still pass). Other suites keep the real clock.
* A test that needs a particular moment says so, in any suite:
  ``@pytest.mark.clock(datetime(2027, 1, 1, 0, 30, tzinfo=SHANGHAI))`` (module-wide through
  ``pytestmark``); the marker wins over the pin and over ``LIANXIN_TEST_CLOCK``. A test that moves
  during its run asks for the ``clock`` fixture: ``clock.move_to(...)``, ``clock.shift(timedelta(...))``.
* ``LIANXIN_TEST_CLOCK`` overrides the instant for a whole run: an ISO moment
  (``2027-01-01T00:30+08:00``; without an offset it is China time) makes the session start
  there (test-module imports and session fixtures included) and every pinned test start
  there; ``system`` turns the pin off (the process clock, e.g. under libfaketime).
  ``.ci/first-of-month`` uses it to run the suites at 00:30 on the 1st of a month.

End-to-end tests are not pinned: Chromium keeps the real clock, and cookies or dates the server
computes from a moved clock would disagree with it (so run them without ``LIANXIN_TEST_CLOCK``,
whose session-wide travel would move the live server's clock too).
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

SHANGHAI = ZoneInfo("Asia/Shanghai")
# No holiday within a week either side, far from a month, quarter or year boundary.
PINNED_AT = datetime(2026, 11, 18, 10, 0, tzinfo=SHANGHAI)
PINNED_SUITES = (
    "cases",
    "venues",
    "rooms",
    "compliance",
    "wishes",
    "events",
    "volunteers",
    "brands",
    "grids",
    "visits",
    "maps",
    "economy",
    "dashboards",
    "reports",
    "tipoffs",
    "surveys",
    "deliberation",
    "supervision",
    "triage",
    "integrations",
    "open311",
    "webhooks",
    "notifications",
)
ENV = "LIANXIN_TEST_CLOCK"
_TESTS = Path(__file__).resolve().parent


def parse_clock(raw: str | None) -> datetime | None:
    """The instant ``LIANXIN_TEST_CLOCK`` asks for; None for ``system``, ``PINNED_AT`` when unset."""
    raw = (raw or "").strip()
    if not raw:
        return PINNED_AT
    if raw.lower() == "system":
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError as exc:
        raise pytest.UsageError(f"{ENV}={raw!r}: expected an ISO moment or 'system'") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=SHANGHAI)


def _instant() -> datetime | None:
    return parse_clock(os.environ.get(ENV))


_session_travel: time_machine.travel | None = None


def pytest_configure(config):
    global _session_travel
    config.addinivalue_line(
        "markers",
        "clock(moment, tick=True): start the test at this moment (a datetime, naive = China time, "
        "or an ISO string), whatever LIANXIN_TEST_CLOCK says",
    )
    config.addinivalue_line(
        "markers", "real_clock: a test in a pinned suite that keeps the session's clock"
    )
    at = _instant()
    if os.environ.get(ENV, "").strip() and at is not None and _session_travel is None:
        _session_travel = time_machine.travel(at, tick=True)
        _session_travel.start()


def pytest_unconfigure(config):
    global _session_travel
    if _session_travel is not None:
        _session_travel.stop()
        _session_travel = None


def pytest_report_header(config):
    at = _instant()
    shown = "the process clock" if at is None else at.isoformat()
    return f"test clock: {', '.join(PINNED_SUITES)} start each test at {shown} ({ENV})"


def _pinned(node) -> bool:
    if node.get_closest_marker("real_clock") or node.get_closest_marker("e2e"):
        return False
    try:
        parts = Path(str(node.path)).resolve().relative_to(_TESTS).parts
    except ValueError:
        return False
    return bool(parts) and parts[0] in PINNED_SUITES


def _marked(node) -> tuple[datetime, bool] | None:
    marker = node.get_closest_marker("clock")
    if marker is None:
        return None
    moment = marker.args[0]
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=SHANGHAI)
    return moment, marker.kwargs.get("tick", True)


@pytest.fixture
def clock(request):
    """A time-machine traveller (``move_to``, ``shift``): at the ``clock`` marker's moment, else
    the pinned instant, else the process clock's now; ticking unless the marker says otherwise."""
    at, tick = _marked(request.node) or (_instant() or datetime.now(SHANGHAI), True)
    with time_machine.travel(at, tick=tick) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _pinned_clock(request):
    node = request.node
    if node.get_closest_marker("clock") or (_pinned(node) and _instant() is not None):
        request.getfixturevalue("clock")
