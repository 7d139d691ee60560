"""The fault drill at CI scale (bench/fault_drill.py is the full one, by hand).

One gunicorn with 2 sync workers against its own copy of the test database (an SQLite file
made with SQLite's backup API, or on PostgreSQL a database created from the test database as
its template: never the suite's own ``test_lianxin*`` database). Three clients post 50 writes
through the web pages, as the people would: 30 resident intakes on the public form (CSRF token,
one-time ``form_token``), 10 room bookings by a logged-in resident (the booking form's token, a
slot the room's page shows free) and 10 visits by the grid worker (the visit form's
``form_token``); after the 20th acknowledged write a gunicorn worker is killed with SIGKILL. A
post that gets no answer is sent again with the same form, as a browser would resubmit. Each
acknowledged write (``bench/ledger.py``: the 302 to the tracking page, to "my bookings", to
the visit) goes in a ledger; afterwards ``bench/fault_drill.py``'s own ``check`` must count, per
kind, every one of them in the database exactly once as the client was told — and it must see a
write that is missing, as the same rows read here with SQL show.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.db import connection

from bench import ledger
from tests.cases.factories import category
from tests.rooms.factories import room_for, venue_a

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
LIANXIN = str(Path(sys.executable).with_name("lianxin"))
DRILL = str(ROOT / "bench" / "fault_drill.py")
# 50 writes in this order, over and over: three intakes, a booking, a visit.
PLAN = ("intake", "intake", "intake", "booking", "visit") * 10
KILL_AFTER = 20
PASSWORD = "Test-pass-123"  # the world's users' (tests/conftest.py make_user)


def _copy_database(tmp_path: Path) -> tuple[str, object]:
    """A private copy of the (migrated, seeded) test database; its URL and a cleanup."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        target = tmp_path / "drill.sqlite3"
        dst = sqlite3.connect(target)
        connection.connection.backup(dst)
        dst.close()
        return f"sqlite:///{target}", lambda: None
    import psycopg

    params = connection.settings_dict
    source, name = params["NAME"], f"lianxin_drill_{uuid.uuid4().hex[:10]}"
    connection.close()  # a template must have no other session
    dsn = {
        "host": params["HOST"] or "127.0.0.1",
        "port": params["PORT"] or 5432,
        "user": params["USER"],
        "password": params["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**dsn) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')

    def drop() -> None:
        with psycopg.connect(**dsn) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    user = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
    return f"postgres://{user}@{dsn['host']}:{dsn['port']}/{name}", drop


def _rows(url: str, sql: str) -> list[tuple]:
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            return list(db.execute(sql))
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://")) as db:
        return list(db.execute(sql))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _workers(master: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True, check=False)
    return [int(p) for p in out.stdout.split()]


def _get(http: requests.Session, url: str) -> requests.Response:
    """GET, again after a connection the killed worker dropped (or a slow, loaded box)."""
    for _attempt in range(5):
        try:
            response = http.get(url, timeout=60)
            if not ledger.should_retry(response.status_code):
                return response
        except requests.RequestException:
            pass
        time.sleep(0.5)
    return http.get(url, timeout=60)


def _post(http: requests.Session, url: str, data: dict, acknowledged) -> requests.Response:
    """POST the same form until ``acknowledged(response)``; again while there is no answer."""
    for _attempt in range(60):
        try:
            r = http.post(
                url, data=data, headers={"Referer": url}, allow_redirects=False, timeout=60
            )
        except requests.RequestException:  # the worker died under this request
            time.sleep(0.2)
            continue
        if acknowledged(r):
            return r
        assert ledger.should_retry(r.status_code), (url, r.status_code, r.text[:500])
        time.sleep(0.2)
    raise AssertionError(f"{url}: no acknowledgement in 60 posts")


def _login(base: str, username: str) -> requests.Session:
    http = requests.Session()
    page = _get(http, f"{base}/accounts/login/")
    form = {
        "csrfmiddlewaretoken": ledger.CSRF.search(page.text).group(1),
        "username": username,
        "password": PASSWORD,
    }
    _post(http, f"{base}/accounts/login/", form, lambda r: r.status_code == 302)
    return http


def _intake(base: str, http: requests.Session, world, cat, i: int) -> dict:
    page = _get(http, f"{base}/cases/new/?u={world.grid_a1.code}")
    data = {
        "csrfmiddlewaretoken": ledger.CSRF.search(page.text).group(1),
        "form_token": ledger.FORM_TOKEN.search(page.text).group(1),
        "category": cat.pk,
        "title": "小区路灯不亮",
        "description": f"演练第 {i} 件：门口路灯坏了三天。",
        "village": world.village_a.pk,
        "grid": world.grid_a1.pk,
        "reporter_name": "演练",
        "reporter_phone": f"139{i:08d}",
    }

    def acknowledged(r) -> bool:
        return r.status_code == 302 and bool(ledger.TRACK.search(r.headers["Location"]))

    r = _post(http, f"{base}/cases/new/", data, acknowledged)
    code = ledger.TRACK.search(r.headers["Location"]).group(1)
    return {"kind": "intake", "code": code, "token": data["form_token"]}


def _booking(base: str, http: requests.Session, room_pk: int, user: str) -> dict:
    """The first slot tomorrow (the server's calendar: its "后一天" link) the page shows free."""
    tomorrow = ledger.next_day(_get(http, f"{base}/venues/rooms/{room_pk}/").text)
    url = f"{base}/venues/rooms/{room_pk}/?day={tomorrow.isoformat()}"
    page = _get(http, url).text
    start = ledger.free_slots(page)[0][0]
    data = ledger.booking_data(page, tomorrow.isoformat(), start, "演练舞蹈队")

    def acknowledged(r) -> bool:
        return ledger.booking_acknowledged(r.status_code, r.headers.get("Location", ""))

    _post(http, url, data, acknowledged)
    return {"kind": "booking", "token": data["token"], "user": user, "day": start}


def _visit(base: str, http: requests.Session, household_pk: int, i: int) -> dict:
    url = f"{base}/visits/new/?household={household_pk}"
    page = _get(http, url).text
    data = {
        "csrfmiddlewaretoken": ledger.CSRF.search(page).group(1),
        "form_token": ledger.FORM_TOKEN.search(page).group(1),
        "kind": "routine",
        "met": "户主",
        "notes": f"演练走访第 {i} 次。",
    }

    def acknowledged(r) -> bool:
        return ledger.visit_acknowledged(r.status_code, r.headers.get("Location", "")) is not None

    r = _post(http, url, data, acknowledged)
    pk = ledger.visit_acknowledged(r.status_code, r.headers["Location"])
    return {"kind": "visit", "token": data["form_token"], "id": pk}


def _check(env: dict, entries: list[dict], more: list[list[dict]]) -> tuple[dict, list[dict]]:
    """bench/fault_drill.py's own check (its child process, Django on the drill's copy): the
    counts per kind for ``entries``, and for each ledger in ``more``."""
    payload = {"ledger": entries, "more": more, "since": "2000-01-01T00:00:00+00:00"}
    out = subprocess.run(
        [sys.executable, DRILL, "--child", "check", json.dumps(payload)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    answer = json.loads(out.stdout.strip().splitlines()[-1])
    return answer["kinds"], answer["more"]


def test_acknowledged_writes_survive_a_killed_worker(world, tmp_path):
    started = time.monotonic()
    cat = category()
    room = room_for(venue_a(world))
    household = world.households["a"]
    # The suite hashes with MD5 (fast); the server knows only its own hashers (Argon2 first).
    argon2 = Argon2PasswordHasher()
    resident, grid_worker = world.users["resident_a"], world.users["grid_a1"]
    type(resident).objects.filter(pk__in=[resident.pk, grid_worker.pk]).update(
        password=argon2.encode(PASSWORD, argon2.salt())
    )
    url, cleanup = _copy_database(tmp_path)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        DATABASE_URL=url,
        LIANXIN_VAR=str(tmp_path / "var"),
        DJANGO_SECRET_KEY="drill-" + uuid.uuid4().hex,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        LIANXIN_CASE_INTAKE_LIMIT="1000/3600",  # one client address posts them all
        LIANXIN_BOOKING_MAX_OPEN_PER_PERSON="100",  # one resident books them all
        LIANXIN_TASKS_BACKEND="db",
    )
    log = open(tmp_path / "gunicorn.log", "wb")  # noqa: SIM115
    server = subprocess.Popen(
        [LIANXIN, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    entries: list[dict] = []
    killed: list[int] = []
    try:
        public = requests.Session()
        for _ in range(300):
            try:
                if public.get(f"{base}/cases/new/", timeout=20).status_code == 200:
                    break
            except requests.RequestException:  # not listening yet, or a worker still importing
                pass
            assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()
            time.sleep(0.1)
        while len(_workers(server.pid)) < 2:
            time.sleep(0.1)
        phases = {"server up": time.monotonic() - started}
        resident_http = _login(base, resident.username)
        worker_http = _login(base, grid_worker.username)
        for i, kind in enumerate(PLAN):
            if kind == "intake":
                entries.append(_intake(base, public, world, cat, i))
            elif kind == "booking":
                entries.append(_booking(base, resident_http, room.pk, resident.username))
            else:
                entries.append(_visit(base, worker_http, household.pk, i))
            if len(entries) == KILL_AFTER and not killed:
                victim = _workers(server.pid)[0]
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)
        respawned = _workers(server.pid)
        phases["50 writes"] = time.monotonic() - started - sum(phases.values())
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    try:
        cases = _rows(url, "select idempotency_key, code from cases_case")
        bookings = _rows(url, "select client_token from venues_booking")
        visits = _rows(url, "select form_token, id from visits_visit")
        # The check must see a loss: one booking the client was told of that never landed,
        # and one visit that landed but (as far as this ledger says) was never acknowledged.
        doctored = [
            *entries,
            {"kind": "booking", "token": "never-posted", "user": resident.username},
        ]
        doctored.remove(next(e for e in entries if e["kind"] == "visit"))
        counted, (counted_doctored,) = _check(env, entries, [doctored])
        phases["check"] = time.monotonic() - started - sum(phases.values())
    finally:
        cleanup()
    assert killed and killed[0] not in respawned and len(respawned) == 2
    assert len(entries) == len(PLAN)
    mine = {k: [e for e in entries if e["kind"] == k] for k in ("intake", "booking", "visit")}
    # The database read directly: none lost, none twice, the code / visit the client was given.
    by_token: dict[str, list[str]] = {}
    for key, code in cases:
        by_token.setdefault(key.removeprefix("web:"), []).append(code)
    assert {e["token"]: [e["code"]] for e in mine["intake"]} == by_token
    assert sorted(e["token"] for e in mine["booking"]) == sorted(t for (t,) in bookings)
    assert {e["token"]: e["id"] for e in mine["visit"]} == dict(visits)
    # The drill's check, per kind, agrees.
    for kind, n in (("intake", 30), ("booking", 10), ("visit", 10)):
        assert counted[kind] == {
            "acknowledged": n,
            "lost": 0,
            "duplicated": 0,
            "landed_unacknowledged": 0,
        }, kind
    assert counted["wish_claim"]["acknowledged"] == counted["signup"]["acknowledged"] == 0
    assert counted_doctored["booking"]["lost"] == 1
    assert counted_doctored["visit"]["acknowledged"] == 9
    assert counted_doctored["visit"]["landed_unacknowledged"] == 1
    assert not ledger.passed(counted_doctored) and ledger.passed(counted)
    # The phases (the database's copy and the server's start, the logins and 50 writes with
    # the kill, the check's child process): run with -s to see them.
    took = ", ".join(f"{k} {v:.1f} s" for k, v in phases.items())
    print(f"drill: {time.monotonic() - started:.1f} s ({took}), killed {killed}")
    print(ledger.table(counted))
