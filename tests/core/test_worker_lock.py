"""Periodic jobs run once per minute across worker processes (``lianxin.core.joblock``).

Two "workers" are two holder names on one database (and, in the last test, two real processes
racing for the same slots): one runs a minute's job, the other skips it; the next minute runs
again; a holder that died mid-run blocks nothing after its own minute.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command

from lianxin.core import joblock
from lianxin.core.models import PeriodicRun

ROOT = Path(__file__).resolve().parents[2]
M = datetime(2026, 11, 16, 8, 30, 12, tzinfo=UTC)  # the test clock's moment
MINUTE = timedelta(minutes=1)
pytestmark = pytest.mark.clock(M)


@pytest.mark.django_db
def test_one_of_two_workers_runs_a_minute_and_the_next_minute_runs_again():
    assert joblock.claim("t.sweep", M, holder="a:1") is True
    assert joblock.claim("t.sweep", M + timedelta(seconds=40), holder="b:2") is False
    assert joblock.claim("t.sweep", M, holder="a:1") is False  # not twice by the same one either
    assert joblock.claim("t.sweep", M + MINUTE, holder="b:2") is True
    assert joblock.claim("t.sweep", M + MINUTE, holder="a:1") is False
    row = PeriodicRun.objects.get(job="t.sweep")
    assert (row.slot, row.holder) == (joblock.minute_slot(M + MINUTE), "b:2")


@pytest.mark.django_db
def test_jobs_are_claimed_apart():
    assert joblock.claim("t.a", M, holder="a:1") is True
    assert joblock.claim("t.b", M, holder="b:2") is True
    assert joblock.claim("t.b", M, holder="a:1") is False


@pytest.mark.django_db
def test_a_crashed_holder_blocks_only_its_own_minute():
    assert joblock.claim("t.sweep", M, holder="dead:1") is True  # …and never finishes
    assert PeriodicRun.objects.get(job="t.sweep").finished_at is None
    assert joblock.claim("t.sweep", M, holder="b:2") is False
    assert joblock.claim("t.sweep", M + MINUTE, holder="b:2") is True
    joblock.finish("t.sweep", M + MINUTE, holder="b:2")
    assert PeriodicRun.objects.get(job="t.sweep").finished_at is not None


@pytest.mark.django_db
def test_after_an_outage_the_first_minute_runs_once(clock):
    assert joblock.claim("t.sweep", M, holder="a:1") is True
    later = M + timedelta(hours=3)  # nobody ran for three hours: one catch-up run, not 180
    clock.move_to(later)
    assert joblock.claim("t.sweep", later, holder="b:2") is True
    assert joblock.claim("t.sweep", later, holder="a:1") is False


@pytest.mark.django_db
def test_a_clock_set_back_far_does_not_stall_the_jobs():
    # Claimed while the clock read an hour later; then the clock was set back to M.
    assert joblock.claim("t.sweep", M + timedelta(hours=1), holder="a:1") is True
    assert joblock.claim("t.sweep", M, holder="b:2") is True
    assert joblock.claim("t.sweep", M, holder="a:1") is False


@pytest.mark.django_db
def test_a_tick_that_started_long_ago_takes_no_current_claim():
    """A worker held up 20 minutes by a slow job claims the next one with its old minute."""
    assert joblock.claim("t.sweep", M, holder="a:1") is True
    assert joblock.claim("t.sweep", M - timedelta(minutes=20), holder="b:2") is False
    assert joblock.claim("t.sweep", M - 2 * MINUTE, holder="b:2") is False  # small skew too


@pytest.mark.django_db
def test_the_worker_runs_a_claimed_job_once_and_skips_it_after(capsys, monkeypatch):
    runs = []
    from lianxin.core.management.commands import worker

    monkeypatch.setattr(worker, "periodic_jobs", lambda: [("t.job", lambda now: runs.append(now))])
    call_command("worker", once=True)
    call_command("worker", once=True)  # the same minute (or the next: then it runs again)
    out = capsys.readouterr().out
    if len(runs) == 1:
        assert "skipped (run by another worker this minute): t.job" in out
    else:  # the two calls straddled a minute boundary
        assert joblock.minute_slot(runs[0]) != joblock.minute_slot(runs[1])
    call_command("worker", once=True, no_lock=True)
    assert len(runs) in (2, 3)


CLAIMS = """
import sys, time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from lianxin.core import joblock
gate, holder = Path(sys.argv[1]), sys.argv[2]
joblock.claim("t.warm-up", datetime(2019, 1, 1, tzinfo=UTC), holder=holder)  # connected
(gate / holder).touch()
while len(list(gate.iterdir())) < 2:  # both processes are ready: go at the same moment
    time.sleep(0.001)
base = datetime(2020, 1, 1, tzinfo=UTC)  # fake minutes, all before this process's clock
jobs = [f"t.race{j}" for j in range(6)]
if holder == "p2":
    jobs.reverse()  # the two meet in the middle of every minute's list
won = [
    f"{i}/{job}"
    for i in range(10)
    for job in jobs
    if joblock.claim(job, base + timedelta(minutes=i), holder=holder)
]
print("WON", ",".join(won))
"""


def _race_database(tmp_path, env) -> str:
    """The test database on PostgreSQL; on SQLite (in memory in tests) a file with core's tables."""
    from django.conf import settings
    from django.db import connection

    db = settings.DATABASES["default"]
    if connection.vendor != "sqlite":
        return (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )
    url = f"sqlite:///{tmp_path / 'race.sqlite3'}"
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "core", "-v0"],
        env={**env, "DATABASE_URL": url},
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    return url


@pytest.mark.django_db(transaction=True)
def test_two_processes_racing_for_10_minutes_of_6_jobs_claim_each_once(tmp_path):
    """Two real processes claim 6 jobs over the same 10 fake minutes at the same moment (in
    opposite job order, so they collide in every minute): each job each minute once."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.update(
        PYTHONPATH=str(ROOT / "src"),
        DJANGO_SETTINGS_MODULE="lianxin.settings",
        LIANXIN_VAR=str(tmp_path),
    )
    env["DATABASE_URL"] = _race_database(tmp_path, env)
    script = tmp_path / "claims.py"
    script.write_text("import django\ndjango.setup()\n" + CLAIMS)
    gate = tmp_path / "gate"
    gate.mkdir()
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), str(gate), f"p{i}"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in (1, 2)
    ]
    won = []
    for p in procs:
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0, err[-2000:]
        line = next(x for x in out.splitlines() if x.startswith("WON"))
        won.append([x for x in line[3:].strip().split(",") if x])
    every = sorted(f"{i}/t.race{j}" for i in range(10) for j in range(6))
    assert sorted(won[0] + won[1]) == every  # each job each minute once, none twice
    print("claims won per process:", len(won[0]), len(won[1]))
