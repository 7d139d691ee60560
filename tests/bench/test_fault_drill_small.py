"""The fault drill at CI scale (bench/fault_drill.py is the full one, by hand).

One gunicorn with 2 sync workers against its own copy of the test database (an SQLite file
made with SQLite's backup API, or on PostgreSQL a database created from the test database as
its template: never the suite's own ``test_lianxin*`` database). A client thread posts 50
resident intakes through the public form (CSRF token, one-time ``form_token``); after the
20th acknowledged one a gunicorn worker is killed with SIGKILL. A post that gets no answer is
sent again with the same form, as a browser would resubmit. Every intake the server
acknowledged (302 to its tracking page) must be in the database exactly once, with the code
the client was given.
"""

from __future__ import annotations

import os
import re
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
from django.db import connection

from tests.cases.factories import category

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
LIANXIN = str(Path(sys.executable).with_name("lianxin"))
INTAKES, KILL_AFTER = 50, 20
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')
_TRACK = re.compile(r"/cases/t/([^/]+)/")


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


def _rows(url: str) -> list[tuple[str, str]]:
    sql = "select idempotency_key, code from cases_case where idempotency_key like 'web:%'"
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
            return http.get(url, timeout=60)
        except requests.RequestException:
            time.sleep(0.5)
    return http.get(url, timeout=60)


def test_acknowledged_intakes_survive_a_killed_worker(world, tmp_path):
    started = time.monotonic()
    cat = category()
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
    ledger: dict[str, str] = {}
    killed: list[int] = []
    try:
        http = requests.Session()
        for _ in range(300):
            try:
                if http.get(f"{base}/cases/new/", timeout=20).status_code == 200:
                    break
            except requests.RequestException:  # not listening yet, or a worker still importing
                pass
            assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()
            time.sleep(0.1)
        while len(_workers(server.pid)) < 2:
            time.sleep(0.1)
        for i in range(INTAKES):
            page = _get(http, f"{base}/cases/new/?u={world.grid_a1.code}")
            data = {
                "csrfmiddlewaretoken": _CSRF.search(page.text).group(1),
                "form_token": _TOKEN.search(page.text).group(1),
                "category": cat.pk,
                "title": "小区路灯不亮",
                "description": f"演练第 {i} 件：门口路灯坏了三天。",
                "village": world.village_a.pk,
                "grid": world.grid_a1.pk,
                "reporter_name": "演练",
                "reporter_phone": f"139{i:08d}",
            }
            for _attempt in range(60):
                try:
                    r = http.post(
                        f"{base}/cases/new/",
                        data=data,
                        headers={"Referer": f"{base}/cases/new/"},
                        allow_redirects=False,
                        timeout=60,
                    )
                except requests.RequestException:  # the worker died under this request
                    time.sleep(0.2)
                    continue
                if r.status_code == 302:
                    ledger[data["form_token"]] = _TRACK.search(r.headers["Location"]).group(1)
                    break
                assert r.status_code >= 500, r.text[:500]
                time.sleep(0.2)
            if len(ledger) == KILL_AFTER and not killed:
                victim = _workers(server.pid)[0]
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)
        respawned = _workers(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    try:
        rows = _rows(url)
    finally:
        cleanup()
    assert killed and killed[0] not in respawned and len(respawned) == 2
    assert len(ledger) == INTAKES
    by_token: dict[str, list[str]] = {}
    for key, code in rows:
        by_token.setdefault(key.removeprefix("web:"), []).append(code)
    assert {t: [c] for t, c in ledger.items()} == by_token  # none lost, none twice, codes match
    # The drill itself (server start, 50 intakes, the kill) takes ~15 s on an idle 2-core box.
    print(f"drill: {time.monotonic() - started:.1f} s, {len(ledger)} intakes, killed {killed}")
