"""Two app servers behind nginx against one PostgreSQL and one Redis (``scripts/two-servers``).

Starts the real topology on free ports — nginx, two gunicorns, two periodic workers — on a
database of its own (a copy of this run's migrated test database, dropped afterwards) and a Redis
database number of its own, then proves what must hold across servers: a session made on one
works on the other, a rate limit counts the hits of both, a concurrent 签收 of the same request on
both servers succeeds once, and the periodic jobs of a minute ran once between the two workers.

Runs only on PostgreSQL (``DATABASE_URL=postgres://...``) with Redis on 127.0.0.1:6379 and
nginx installed (``scripts/ensure-system-deps test`` installs it); skipped at once otherwise.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
REDIS_DB = int(os.environ.get("LIANXIN_TEST_REDIS_DB", "14"))  # never 0/1 (dev, two-servers)
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else "")
PASSWORD = "Test-pass-123"  # tests.conftest.make_user
ROUNDS = 3  # requests accepted concurrently on both servers


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
    pytest.skip("two app servers need PostgreSQL (DATABASE_URL)", allow_module_level=True)
if not NGINX:
    pytest.skip("nginx is not installed (scripts/ensure-system-deps test)", allow_module_level=True)
if not _redis_up():
    pytest.skip("no Redis on 127.0.0.1:6379", allow_module_level=True)

SEED = f"""
from tests.conftest import build_world
from tests.cases.factories import make_case
w = build_world()
cases = [make_case(w, title=f"路灯不亮{{i}}") for i in range({ROUNDS})]
from lianxin.cases.models import Category
print("SEED", w.village_a.pk, w.grid_a1.pk, Category.objects.get(code="infra-light").pk,
      ",".join(str(c.pk) for c in cases))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One browser: its cookies, talking to whichever port it is told."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(self, port, method, path, data=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        hdrs = {"Host": "127.0.0.1", **(headers or {})}
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            hdrs["Content-Type"] = "application/x-www-form-urlencoded"
            if "csrftoken" in self.cookies:
                hdrs["X-CSRFToken"] = self.cookies["csrftoken"]
        try:
            conn.request(method, path, body=body, headers=hdrs)
            r = conn.getresponse()
            text = r.read().decode()
            for raw in r.msg.get_all("Set-Cookie") or []:
                name, _eq, rest = raw.partition("=")
                value = rest.split(";", 1)[0]
                if value and "expires=Thu, 01 Jan 1970" not in raw:
                    self.cookies[name.strip()] = value
                else:
                    self.cookies.pop(name.strip(), None)
            return r.status, text, r.getheader("Location") or ""
        finally:
            conn.close()

    def token(self, port, path):
        status, body, _ = self.request(port, "GET", path)
        assert status == 200, (path, status, body[:300])
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)

    def login(self, port, username):
        token = self.token(port, "/accounts/login/")
        status, body, location = self.request(
            port,
            "POST",
            "/accounts/login/",
            {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD},
        )
        assert status == 302 and "sessionid" in self.cookies, (status, body[:500])
        return location


def _pg(url: str, dbname: str = "postgres"):
    import psycopg

    u = urlparse(url)
    return psycopg.connect(
        host=u.hostname or "127.0.0.1",
        port=u.port or 5432,
        user=u.username or "postgres",
        password=u.password or None,
        dbname=dbname,
        autocommit=True,
    )


@pytest.fixture(scope="module")
def database(django_db_setup, django_db_blocker):
    """A database of this test's own, copied from the run's migrated test database (a fresh
    ``migrate`` on PostgreSQL takes minutes here); dropped afterwards."""
    from django.db import connection, connections

    template = connection.settings_dict["NAME"]
    name = f"lianxin_two_servers_{os.getpid()}"
    base = os.environ["DATABASE_URL"]
    with django_db_blocker.unblock():
        connections.close_all()
    admin = _pg(base)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    for attempt in range(20):
        try:
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            break
        except Exception:  # the template still has a connection open (closing is async)
            if attempt == 19:
                raise
            time.sleep(0.5)
    u = urlparse(base)
    url = u._replace(path=f"/{name}").geturl()
    try:
        yield url
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _env(**extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("LIANXIN_", "DJANGO_", "PYTEST", "REDIS_URL"))
    }
    env.update(PYTHONPATH=f"{ROOT}{os.pathsep}{ROOT / 'src'}", **extra)
    return env


@pytest.fixture(scope="module")
def site(database, tmp_path_factory):
    """The seeded database, then ``scripts/two-servers start`` on free ports (stopped after)."""
    run = tmp_path_factory.mktemp("two-servers")
    ports = [_free_port(), _free_port()]
    proxy = _free_port()
    env = _env(
        DATABASE_URL=database,
        LIANXIN_TWO_SERVERS_DIR=str(run),
        LIANXIN_VAR=str(run / "var"),
        REDIS_URL=f"redis://127.0.0.1:6379/{REDIS_DB}",
        LIANXIN_PROXY_PORT=str(proxy),
        LIANXIN_APP_PORTS=" ".join(map(str, ports)),
        LIANXIN_WORKERS="1",
        LIANXIN_RQ_WORKERS="0",
        LIANXIN_SKIP_MIGRATE="1",
        LIANXIN_CASE_INTAKE_LIMIT="6/3600",
        DJANGO_SECRET_KEY="two-servers-" + os.urandom(16).hex() + "k" * 20,
    )
    seeded = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", SEED],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert seeded.returncode == 0, seeded.stderr[-2000:]
    line = next(x for x in seeded.stdout.splitlines() if x.startswith("SEED"))
    _s, village, grid, category, cases = line.split()
    script = ROOT / "scripts" / "two-servers"
    started = time.monotonic()
    out = subprocess.run(
        [str(script), "start"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=150
    )
    start_seconds = time.monotonic() - started
    try:
        assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-3000:]
        print(f"\ntwo-servers started in {start_seconds:.1f} s: {out.stdout.strip()}")
        yield {
            "ports": ports,
            "proxy": proxy,
            "run": run,
            "database": database,
            "village": village,
            "grid": grid,
            "category": category,
            "cases": [int(c) for c in cases.split(",")],
            "start_seconds": start_seconds,
        }
    finally:
        subprocess.run([str(script), "stop"], env=env, cwd=ROOT, timeout=60, check=False)


def test_the_proxy_spreads_requests_over_both_servers(site):
    c = Client()
    for _ in range(6):
        assert c.request(site["proxy"], "GET", "/healthz/")[0] == 200
    logs = [(site["run"] / "logs" / f"web{i}.log").read_text() for i in (1, 2)]
    assert all("GET /healthz/" in log for log in logs)


def test_a_session_made_on_one_server_works_on_the_other(site):
    one, two = site["ports"]
    c = Client()
    c.login(one, "grid_a1")
    case = site["cases"][0]
    status, body, location = c.request(two, "GET", f"/cases/{case}/")
    assert status == 200, (status, location)
    assert "路灯不亮" in body
    anonymous = Client()
    assert anonymous.request(two, "GET", f"/cases/{case}/")[0] == 302  # to the log-in page


def test_a_rate_limit_counts_the_hits_of_both_servers(site):
    """Limit 6 per address per hour: posts alternating between the servers, 6 pass, then none."""
    accepted = []
    for n in range(9):
        port = site["ports"][n % 2]
        c = Client()
        token = c.token(port, "/cases/new/")
        status, body, _ = c.request(
            port,
            "POST",
            "/cases/new/",
            {
                "csrfmiddlewaretoken": token,
                "form_token": f"two-servers-{n}-{time.monotonic_ns()}",
                "category": site["category"],
                "title": "小区路灯不亮",
                "description": "东关小区门口路灯坏了三天，晚上很黑。",
                "village": site["village"],
                "grid": site["grid"],
                "reporter_name": "王大妈",
                "reporter_phone": f"1390000{n:04d}",  # apart: the per-phone limit stays out
                "address": "东关小区北门",
            },
        )
        assert status == 302 or (status == 422 and "提交过于频繁" in body), (status, body[:500])
        accepted.append(status == 302)
    assert accepted == [True] * 6 + [False] * 3


def test_a_concurrent_accept_on_both_servers_succeeds_once(site):
    one, two = site["ports"]
    grid_worker, village_staff = Client(), Client()
    grid_worker.login(one, "grid_a1")
    village_staff.login(two, "village_a")
    for case in site["cases"]:
        barrier = threading.Barrier(2)
        statuses = []

        def accept(client, port, case=case, barrier=barrier, statuses=statuses):
            barrier.wait()
            statuses.append(client.request(port, "POST", f"/cases/{case}/act/accept/", {})[0])

        threads = [
            threading.Thread(target=accept, args=(grid_worker, one)),
            threading.Thread(target=accept, args=(village_staff, two)),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert statuses == [302, 302], statuses  # both answered; one with "已由…签收"
    with _pg(site["database"], urlparse(site["database"]).path[1:]) as db:
        rows = db.execute(
            "SELECT case_id, count(*) FROM cases_caseevent WHERE kind = 'accept' "
            "AND case_id = ANY(%s) GROUP BY case_id",
            (site["cases"],),
        ).fetchall()
        owners = db.execute(
            "SELECT count(*) FROM cases_case WHERE id = ANY(%s) AND state = 'accepted' "
            "AND owner_user_id IS NOT NULL",
            (site["cases"],),
        ).fetchone()[0]
    assert dict(rows) == {case: 1 for case in site["cases"]}
    assert owners == ROUNDS


def test_the_two_workers_ran_each_job_once_in_their_first_minute(site):
    """Both workers ticked at start; each job of that minute ran in one of them only."""
    ran: dict[tuple[str, str], int] = {}
    logs: list[str] = []

    def first_tick_done(log: str) -> bool:
        lines = log.splitlines()
        head = re.search(r"started: (\d+) jobs", log)
        if not head:
            return False
        seen = sum(
            1 for x in lines[1:] if re.match(r"\d\d:\d\d:\d\d \S+ ", x) and "skipped" not in x
        )
        seen += sum(len(x.split(": ", 1)[1].split(", ")) for x in lines if " skipped " in x)
        return seen >= int(head.group(1))

    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        logs = [(site["run"] / "logs" / f"worker{i}.log").read_text() for i in (1, 2)]
        if all(first_tick_done(log) for log in logs):
            break
        time.sleep(0.5)
    for log in logs:
        for line in log.splitlines():
            m = re.match(r"(\d\d:\d\d):\d\d (\S+) ", line)
            if m and " skipped " not in line:
                key = (m.group(1), m.group(2))
                ran[key] = ran.get(key, 0) + 1
    assert ran, logs
    assert max(ran.values()) == 1, {k: v for k, v in ran.items() if v > 1}
    with _pg(site["database"], urlparse(site["database"]).path[1:]) as db:
        jobs = db.execute("SELECT job, holder FROM core_periodicrun").fetchall()
    assert {job for _m, job in ran} <= {job for job, _h in jobs}
