"""Rate limits that hold on a real deployment: shared counters, the real client address.

The first tests start gunicorn with two sync workers on a migrated SQLite file and post to the
public intake page concurrently: the hourly limit must hold across both workers, and only a
trusted proxy may say who the client is.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import pytest

ROOT = Path(__file__).resolve().parents[2]
INTAKE = "/cases/new/"
LIMITED = "提交过于频繁"

SEED = """
from lianxin.org.models import UnitKind
from lianxin.org.services import unit_create
from lianxin.cases.models import Category
county = unit_create(code="620524000000", name="武山县", kind=UnitKind.COUNTY, parent=None,
                     division_code="620524000000")
town = unit_create(code="620524100000", name="城关镇", kind=UnitKind.TOWN, parent=county,
                   division_code="620524100000")
village = unit_create(code="620524100001", name="东关社区", kind=UnitKind.COMMUNITY, parent=town,
                      division_code="620524100001")
grid = unit_create(code="620524100001-G01", name="东关第1网格", kind=UnitKind.GRID, parent=village)
print(village.pk, grid.pk, Category.objects.get(code="infra-light").pk)
"""


def _env(var: Path, db: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("LIANXIN_", "DJANGO_", "PYTEST"))
    }
    env.pop("REDIS_URL", None)
    env.update(
        DATABASE_URL=f"sqlite:///{db}",
        LIANXIN_VAR=str(var),
        DJANGO_SECRET_KEY="test-" + "k" * 50,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        PYTHONPATH=str(ROOT / "src"),
    )
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A migrated SQLite file with one village, one grid and the seeded categories."""
    var = tmp_path_factory.mktemp("ratelimit")
    db = var / "lianxin.sqlite3"
    env = _env(var, db)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT, timeout=300)
    out = subprocess.run(
        [*manage, "shell", "-c", SEED],
        env=env,
        check=True,
        cwd=ROOT,
        timeout=120,
        capture_output=True,
        text=True,
    ).stdout.split()
    village, grid, category = out[-3:]
    return {"var": var, "db": db, "village": village, "grid": grid, "category": category}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn with two sync workers; the access log names the worker pid of every request."""

    def __init__(self, site: dict, tmp_path: Path, **env: str):
        self.port = _free_port()
        tmp_path.mkdir(parents=True, exist_ok=True)
        self.log = tmp_path / "access.log"
        self.site = site
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "lianxin.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--worker-class",
                "sync",
                "--access-logfile",
                str(self.log),
                "--access-logformat",
                "%(p)s %(m)s %(U)s %(s)s",
            ],
            env=_env(site["var"], site["db"], **env),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=(tmp_path / "gunicorn.err").open("w"),
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.request("GET", "/healthz/")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()

    def request(self, method, path, body=None, headers=None, source="127.0.0.1"):
        conn = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=30, source_address=(source, 0)
        )
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.read().decode(), response.getheader("Set-Cookie") or ""
        finally:
            conn.close()

    def post_intake(
        self, n: int, *, phone: str, forwarded_for: str | None = None, source="127.0.0.1"
    ):
        """GET the form (CSRF cookie and token), then POST one valid request; True if accepted."""
        headers = {} if forwarded_for is None else {"X-Forwarded-For": forwarded_for}
        status, body, cookie = self.request("GET", INTAKE, headers=headers, source=source)
        assert status == 200, body[:500]
        csrf_cookie = re.search(r"csrftoken=([^;]+)", cookie).group(1)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
        data = {
            "csrfmiddlewaretoken": token,
            "form_token": f"tok-{phone}-{n}-{time.monotonic_ns()}",
            "category": self.site["category"],
            "title": "小区路灯不亮",
            "description": "东关小区门口路灯坏了三天，晚上很黑。",
            "village": self.site["village"],
            "grid": self.site["grid"],
            "reporter_name": "王大妈",
            "reporter_phone": phone,
            "address": "东关小区北门",
        }
        status, body, _cookie = self.request(
            "POST",
            INTAKE,
            body=urlencode(data),
            headers={
                **headers,
                "Cookie": f"csrftoken={csrf_cookie}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
            source=source,
        )
        if status == 302:
            return True
        assert status == 422 and LIMITED in body, (status, body[:800])
        return False

    def post_pids(self) -> set[str]:
        lines = self.log.read_text().splitlines() if self.log.exists() else []
        return {line.split()[0] for line in lines if f"POST {INTAKE}" in line}


@pytest.fixture
def server(site, tmp_path):
    started: list[Server] = []

    def start(**env: str) -> Server:
        started.append(Server(site, tmp_path / str(len(started)), **env))
        return started[-1]

    yield start
    for s in started:
        s.stop()


def test_an_hourly_limit_holds_across_two_gunicorn_workers(server):
    """N + k posts from one address, spread over both workers at once: exactly N accepted."""
    limit, sent = 10, 20
    srv = server(
        LIANXIN_CASE_INTAKE_LIMIT=f"{limit}/3600", LIANXIN_CASE_INTAKE_PHONE_LIMIT="1000/3600"
    )
    lock = threading.Lock()
    results: list[bool] = []

    def one(n: int) -> None:
        ok = srv.post_intake(n, phone=f"139{n:08d}")
        with lock:
            results.append(ok)

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(one, range(sent)))
        time.sleep(0.5)  # the access log is written after the response
        # The kernel may hand every connection to one worker: more posts (all over the limit)
        # until the other has served some too; it refuses them only by the shared count.
        more = sent
        while len(srv.post_pids()) < 2 and more < sent + 200:
            list(pool.map(one, range(more, more + 8)))
            more += 8
            time.sleep(0.2)
    time.sleep(0.5)
    print(f"two workers: {sum(results)} of {len(results)} posts accepted (limit {limit})")
    assert sum(results) == limit
    assert len(srv.post_pids()) == 2, "both workers must have served posts"


RACE = """
import sys, time
import django
django.setup()
from lianxin.core.ratelimit import hit, hits
start, n = float(sys.argv[1]), int(sys.argv[2])
while time.time() < start:
    time.sleep(0.005)
for _ in range(n):
    hit(scope="race", key="one-key", window=3600)
print(hits(scope="race", key="one-key"))
"""


def test_two_processes_counting_one_key_lose_no_hit(site):
    """Django's own DatabaseCache.incr is read-then-write: 3,687 of 6,000 survived such a race."""
    env = _env(site["var"], site["db"], DJANGO_SETTINGS_MODULE="lianxin.settings")
    start, n = time.time() + 6, 1500
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", RACE, str(start), str(n)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    seen = [int(p.communicate(timeout=300)[0].split()[-1]) for p in procs]
    assert max(seen) == 2 * n


def test_only_a_trusted_proxy_names_the_client(server):
    """Behind the trusted proxy each resident has a bucket; a direct peer's header is ignored."""
    srv = server(
        LIANXIN_TRUSTED_PROXIES="127.0.0.1",
        LIANXIN_CASE_INTAKE_LIMIT="2/3600",
        LIANXIN_CASE_INTAKE_PHONE_LIMIT="1000/3600",
    )
    # Two residents behind nginx (peer 127.0.0.1): separate buckets, spoofed hops on the left ignored.
    a = [
        srv.post_intake(n, phone=f"1381000000{n}", forwarded_for=f"1.2.3.{n}, 203.0.113.5")
        for n in range(3)
    ]
    b = [srv.post_intake(n, phone=f"1382000000{n}", forwarded_for="203.0.113.6") for n in range(2)]
    assert a == [True, True, False]
    assert b == [True, True]
    # A client reaching gunicorn directly (peer 127.0.0.2, not trusted) cannot pick a new address.
    c = [
        srv.post_intake(
            n, phone=f"1383000000{n}", forwarded_for=f"198.51.100.{n}", source="127.0.0.2"
        )
        for n in range(3)
    ]
    assert c == [True, True, False]


def test_migrate_alone_creates_the_cache_table(site):
    import sqlite3

    with sqlite3.connect(site["db"]) as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "lianxin_cache" in tables


# --- in process ----------------------------------------------------------------------------


def _request(remote="10.0.0.1", xff=None, real_ip=None):
    from django.test import RequestFactory

    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    if real_ip is not None:
        extra["HTTP_X_REAL_IP"] = real_ip
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("trusted", "remote", "xff", "real_ip", "expected"),
    [
        ([], "10.0.0.1", "203.0.113.9", None, "10.0.0.1"),  # default: headers never believed
        (["10.0.0.1"], "198.51.100.7", "203.0.113.9", None, "198.51.100.7"),  # untrusted peer
        (["10.0.0.1"], "10.0.0.1", "203.0.113.9", None, "203.0.113.9"),
        (["10.0.0.1"], "10.0.0.1", "6.6.6.6, 203.0.113.9", None, "203.0.113.9"),  # spoofed left
        (["10.0.0.0/8"], "10.0.0.1", "203.0.113.9, 10.0.0.2", None, "203.0.113.9"),  # two hops
        (["10.0.0.1"], "10.0.0.1", None, "203.0.113.9", "203.0.113.9"),  # X-Real-IP only
        (["10.0.0.1"], "10.0.0.1", "not-an-ip", None, "10.0.0.1"),
        (["10.0.0.1"], "10.0.0.1", "[2001:db8::1]:443", None, "2001:db8::1"),
        (["10.0.0.1"], "10.0.0.1", "10.0.0.1", None, "10.0.0.1"),  # only our proxy in the chain
    ],
)
def test_client_address(settings, trusted, remote, xff, real_ip, expected):
    from lianxin.core.ratelimit import client_address

    settings.LIANXIN_TRUSTED_PROXIES = trusted
    assert client_address(_request(remote, xff, real_ip)) == expected


@pytest.mark.django_db
def test_key_limit_counts_exactly_and_the_window_ends(settings):
    import time_machine
    from django.db import connection

    from lianxin.core.ratelimit import hits, key_rate_limited

    with time_machine.travel("2026-11-03 09:00:00+08:00", tick=False) as clock:
        assert [
            key_rate_limited(scope="t", key="13912345678", limit=2, window=60) for _ in range(4)
        ] == [False, False, True, True]
        assert hits(scope="t", key="13912345678") == 4
        assert not key_rate_limited(scope="t", key="13900000000", limit=2, window=60)
        with connection.cursor() as cursor:  # the phone number is not in the cache in clear
            cursor.execute("SELECT cache_key FROM lianxin_cache")
            keys = " ".join(r[0] for r in cursor.fetchall())
        assert "ratelimit:t:" in keys and "13912345678" not in keys
        clock.shift(61)
        assert not key_rate_limited(scope="t", key="13912345678", limit=2, window=60)
        assert hits(scope="t", key="13912345678") == 1


@pytest.mark.django_db
def test_a_hit_in_the_second_the_window_ends_starts_the_next_window(settings):
    """The database cache stores expiry to the second: at ``now == expires`` the row is neither
    live (incr reads ``expires > now``) nor, before the fix, expired (add took ``expires < now``),
    so every hit in that second raised "the counter keeps expiring" (seen under schemathesis)."""
    import time_machine

    from lianxin.core.ratelimit import hit, hits

    with time_machine.travel("2026-11-03 09:00:00+08:00", tick=False) as clock:
        assert [hit(scope="edge", key="k", window=60) for _ in range(3)] == [1, 2, 3]
        clock.shift(60)  # exactly the second the window's row expires
        assert hit(scope="edge", key="k", window=60) == 1
        assert hits(scope="edge", key="k") == 1
        clock.shift(59)
        assert hit(scope="edge", key="k", window=60) == 2


@pytest.mark.django_db
def test_ipv6_clients_share_a_bucket_per_64(settings):
    from lianxin.core.ratelimit import rate_limited

    results = [
        rate_limited(_request(f"2001:db8:1:2::{n}"), scope="v6", limit=2, window=60)
        for n in range(1, 4)
    ]
    assert results == [False, False, True]
    assert not rate_limited(_request("2001:db8:1:3::1"), scope="v6", limit=2, window=60)


@pytest.fixture
def redis_url(tmp_path):
    import shutil

    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    port = _free_port()
    proc = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait(timeout=10)


def test_redis_counts_atomically_and_expires(settings, redis_url):
    from django.core.cache import caches

    from lianxin.core.ratelimit import _cache_key, hits, key_rate_limited

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    }
    with ThreadPoolExecutor(max_workers=8) as pool:
        limited = list(
            pool.map(lambda _n: key_rate_limited(scope="r", key="k", limit=5, window=30), range(40))
        )
    assert limited.count(False) == 5 and hits(scope="r", key="k") == 40
    cache = caches["default"]
    made = cache.make_and_validate_key(_cache_key("r", "k"))
    assert 0 < cache._cache.get_client(made).ttl(made) <= 30  # the window has an end


def _intake(world, **kw):
    from tests.cases.factories import category

    data = {
        "form_token": "tok-1", "category": category().pk, "title": "小区路灯不亮",
        "description": "东关小区门口路灯坏了三天，晚上很黑。", "village": world.village_a.pk,
        "grid": world.grid_a1.pk, "reporter_name": "王大妈", "reporter_phone": "13912345678",
        "address": "东关小区北门",
    }  # fmt: skip
    data.update(kw)
    return data


@pytest.mark.django_db
def test_intake_is_limited_per_phone_from_any_address(client, world, settings):
    from django.urls import reverse

    from lianxin.cases.models import Case

    settings.LIANXIN_CASE_INTAKE_PHONE_LIMIT = (2, 3600)
    url = reverse("cases:intake")
    for n, (phone, ip) in enumerate([("13912345678", "10.1.0.1"), ("13912345678", "10.1.0.2")]):
        data = _intake(world, form_token=f"p{n}", reporter_phone=phone)
        assert client.post(url, data, REMOTE_ADDR=ip).status_code == 302
    data = _intake(world, form_token="p9", reporter_phone="13912345678", title="又一次路灯不亮")
    r = client.post(url, data, REMOTE_ADDR="10.1.0.3")
    body = r.content.decode()
    assert r.status_code == 422 and "该手机号提交过于频繁" in body
    assert "又一次路灯不亮" in body and "王大妈" in body  # what was typed stays
    assert Case.objects.count() == 2
    other = _intake(world, form_token="p10", reporter_phone="13900000000")
    assert client.post(url, other, REMOTE_ADDR="10.1.0.3").status_code == 302
