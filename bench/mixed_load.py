"""Mixed load (issue 16, bullet 3): the real mix under locust against gunicorn and PostgreSQL.

    createdb -h 127.0.0.1 -U postgres lianxin_bench_load
    .venv/bin/python bench/mixed_load.py [--database-url postgres://…/lianxin_bench_load]
        [--users 120] [--spawn-rate 10] [--duration 10m] [--workers 4]

One command: migrates the database, builds the 武山县 demo county once (``lianxin demo``:
real divisions, grids, clerks, residents, ~27,000 requests; skipped when it is there), runs
``collectstatic``, writes the data file the locustfile reads (grids, categories, clerk and leader
accounts, tracking codes, a map viewport), starts ``lianxin serve`` (gunicorn, ``--workers``
sync workers) with production settings (``LIANXIN_ENV=production``, whitenoise's manifest,
secure cookies, ``CONN_MAX_AGE`` 60) and ``lianxin worker`` (the periodic jobs), then
``locust --headless`` with ``bench/locustfile.py``. While it runs, PostgreSQL's connections to
the database are sampled from ``pg_stat_activity`` every 5 s. Prints a Markdown table:
requests, requests/s, p50/p95/p99 and errors per endpoint, and the connection count.

Rate limits: ``LIANXIN_TRUSTED_PROXIES=127.0.0.1`` and each simulated resident sends its own
``X-Forwarded-For`` (what nginx in front would add), so the limits stay on and count per
simulated client rather than tripping on the load generator's one address.

Design peak (../shared/design/PERFORMANCE.md): about 10 writes a second, reads carrying the
load. Three times that is 30 writes a second (intakes and 签收, and the logged-in residents',
party members' and grid workers' bookings, sign-ups, wish claims and visits); the table prints
the write rate reached next to it.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
LIANXIN = str(ROOT / ".venv" / "bin" / "lianxin")
LOCUST = str(ROOT / ".venv" / "bin" / "locust")
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/lianxin_bench_load"
DESIGN_PEAK_WRITES = 10.0  # per second, PERFORMANCE.md
WRITES = ("intake post", "accept", "booking post", "claim post", "signup post", "visit post")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def bench_env(database_url: str, var: Path) -> dict[str, str]:
    """Production settings on loopback, XFF believed from 127.0.0.1 (the bench's proxy)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_DEBUG", "REDIS_URL")}
    env.update(
        LIANXIN_ENV="production",
        LIANXIN_VAR=str(var),
        DJANGO_SECRET_KEY=env.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SSL_REDIRECT="0",
        DATABASE_URL=database_url,
        LIANXIN_TRUSTED_PROXIES="127.0.0.1",
        LIANXIN_LOG_LEVEL="WARNING",
    )
    return env


def prepare(env: dict[str, str], data_path: Path, *, demo_args: list[str]) -> dict[str, Any]:
    """migrate, the demo county (once), collectstatic, and the locustfile's data file."""
    Path(env["LIANXIN_VAR"]).mkdir(parents=True, exist_ok=True)
    steps = [["migrate", "--no-input", "-v0"], ["demo", *demo_args]]
    if not (Path(env["LIANXIN_VAR"]) / "static" / "staticfiles.json").exists():
        steps.append(["collectstatic", "--no-input", "-v0"])  # minutes on a loaded box: once
    for argv in steps:
        started = time.monotonic()
        subprocess.run([LIANXIN, *argv], env=env, check=True, stdout=subprocess.DEVNULL)
        print(f"  lianxin {argv[0]}: {time.monotonic() - started:.1f} s", flush=True)
    subprocess.run([PY, __file__, "--dump-data", str(data_path)], env=env, check=True)
    return json.loads(data_path.read_text(encoding="utf-8"))


def dump_data(path: str) -> None:
    """(In a child process with the bench's settings) what the simulated users need."""
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianxin.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db.models import Avg

    from lianxin.cases.models import Case, Category
    from lianxin.org.models import Membership, Role, Unit, UnitKind

    grids = list(
        Unit.objects.filter(kind=UnitKind.GRID, is_active=True)
        .order_by("id")
        .values("id", "code", "parent_id")[:400]
    )
    categories = list(
        Category.objects.filter(is_active=True, parent__isnull=False).values_list("id", flat=True)
    ) or list(Category.objects.filter(is_active=True).values_list("id", flat=True))

    def accounts(roles: list[str], limit: int) -> list[dict[str, Any]]:
        rows = (
            Membership.objects.filter(role__in=roles, user__is_active=True)
            .order_by("unit__path", "id")
            .values("user__username", "unit_id")
        )
        seen: dict[str, dict[str, Any]] = {}
        for r in rows:
            seen.setdefault(
                r["user__username"], {"username": r["user__username"], "unit": r["unit_id"]}
            )
        return list(seen.values())[:limit]

    centre = Case.objects.filter(lat__isnull=False).aggregate(lat=Avg("lat"), lng=Avg("lng"))
    lat, lng = centre["lat"] or 34.72, centre["lng"] or 104.89
    data = {
        "grids": [{"id": g["id"], "code": g["code"], "village": g["parent_id"]} for g in grids],
        "categories": categories,
        "clerks": accounts([Role.VILLAGE_STAFF, Role.GRID_WORKER], 80),
        "leaders": accounts([Role.COUNTY_ADMIN, Role.TOWN_STAFF], 20),
        # The logged-in residents, party members and grid workers of the locustfile's writes
        # beyond the intake (bookings, sign-ups, wish claims, visits: the fault drill's ledger).
        "residents": accounts([Role.RESIDENT], 200),
        "party_members": accounts([Role.PARTY_MEMBER], 200),
        "grid_workers": accounts([Role.GRID_WORKER], 80),
        "codes": list(Case.objects.order_by("?").values_list("code", flat=True)[:300]),
        "bbox": f"{lng - 0.08:.4f},{lat - 0.05:.4f},{lng + 0.08:.4f},{lat + 0.05:.4f}",
        "password": settings.LIANXIN_DEMO_PASSWORD,
    }
    Path(path).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


class Server:
    """``lianxin serve`` (gunicorn; the pid is the master's, serve execs into it) and,
    optionally, ``lianxin worker``."""

    def __init__(self, env: dict[str, str], *, workers: int, log_dir: Path, port: int = 0):
        self.env, self.workers, self.log_dir = env, workers, log_dir
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.web: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None

    def start_web(self) -> None:
        log = open(self.log_dir / "gunicorn.log", "ab")  # noqa: SIM115 - lives with the process
        self.web = subprocess.Popen(
            [LIANXIN, "serve", "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers)],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def start_worker(self, interval: float = 60.0) -> None:
        log = open(self.log_dir / "worker.log", "ab")  # noqa: SIM115
        self.worker = subprocess.Popen(
            [LIANXIN, "worker", "--interval", str(interval)],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def worker_pids(self) -> list[int]:
        """The gunicorn master's children (its sync workers)."""
        assert self.web is not None
        out = subprocess.run(
            ["pgrep", "-P", str(self.web.pid)], capture_output=True, text=True, check=False
        )
        return [int(p) for p in out.stdout.split()]

    def wait_ready(self, timeout: float = 240.0) -> float:
        """Seconds until /healthz/ answers 200."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if healthy(self.base):
                return time.monotonic() - started
            time.sleep(0.1)
        raise RuntimeError(f"server at {self.base} not ready in {timeout:.0f} s")

    def stop(self) -> None:
        for proc in (self.worker, self.web):
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


def healthy(base: str, path: str = "/healthz/", timeout: float = 5.0) -> bool:
    try:
        with urllib.request.urlopen(base + path, timeout=timeout) as r:  # noqa: S310 - loopback
            return r.status == 200
    except OSError:
        return False


class PgSampler(threading.Thread):
    """Connections to one database in ``pg_stat_activity``, every ``every`` seconds."""

    def __init__(self, database_url: str, every: float = 5.0):
        super().__init__(daemon=True)
        self.dbname = database_url.rsplit("/", 1)[-1].split("?")[0]
        self.admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
        self.every, self.samples = every, []
        self._stop = threading.Event()

    def run(self) -> None:
        sql = f"select count(*) from pg_stat_activity where datname = '{self.dbname}'"  # noqa: S608
        while not self._stop.wait(self.every):
            out = subprocess.run(
                ["psql", self.admin_url, "-Atc", sql], capture_output=True, text=True, check=False
            )
            if out.returncode == 0 and out.stdout.strip().isdigit():
                self.samples.append(int(out.stdout.strip()))

    def stop(self) -> None:
        self._stop.set()

    def summary(self) -> str:
        if not self.samples:
            return "no sample"
        s = self.samples
        return f"median {statistics.median(s):.0f}, max {max(s)} ({len(s)} samples)"


def run_locust(
    base: str,
    *,
    data_path: Path,
    out_prefix: Path,
    users: int,
    spawn_rate: float,
    duration: str,
    extra_env: dict[str, str] | None = None,
    during: Callable[[], None] | None = None,
) -> list[dict[str, str]]:
    """locust --headless; ``during`` runs in this thread while locust runs. The CSV rows."""
    env = {**os.environ, "LIANXIN_BENCH_DATA": str(data_path), **(extra_env or {})}
    argv = [
        LOCUST,
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--host",
        base,
        "-u",
        str(users),
        "-r",
        str(spawn_rate),
        "-t",
        duration,
        "--csv",
        str(out_prefix),
        "--only-summary",
        "--stop-timeout",
        "10",
        "--exit-code-on-error",
        "0",
    ]
    log = open(str(out_prefix) + "_locust.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        if during is not None:
            during()
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait()
        log.close()
    with open(str(out_prefix) + "_stats.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def load_table(rows: list[dict[str, str]], *, seconds: float) -> tuple[str, dict[str, float]]:
    """Markdown: requests, req/s, p50/p95/p99 ms and errors per endpoint, plus the totals."""
    lines = [
        "| endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | errors | error % |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    totals: dict[str, float] = {}
    for r in sorted(rows, key=lambda r: (r["Name"] == "Aggregated", r["Name"])):
        n, fails = int(r["Request Count"]), int(r["Failure Count"])
        name = "**all**" if r["Name"] == "Aggregated" else r["Name"]
        pct = 100.0 * fails / n if n else 0.0
        lines.append(
            f"| {name} | {n:,} | {n / seconds:.1f} | {r['50%']} | {r['95%']} | {r['99%']} "
            f"| {fails} | {pct:.2f} |"
        )
        if r["Name"] == "Aggregated":
            totals.update(requests=n, failures=fails, rps=n / seconds, p95=float(r["95%"]))
        elif r["Name"] in WRITES:
            totals["writes"] = totals.get("writes", 0) + (n - fails)
    totals["writes_per_s"] = totals.get("writes", 0) / seconds
    return "\n".join(lines), totals


def machine() -> str:
    load = os.getloadavg()
    return (
        f"{platform.node()}, {os.cpu_count()} cores, {platform.python_version()}, "
        f"load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}"
    )


def parse_seconds(duration: str) -> float:
    unit = {"s": 1, "m": 60, "h": 3600}.get(duration[-1], 1)
    return float(duration.rstrip("smh")) * unit


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_DB))
    ap.add_argument("--var", default="/tmp/lianxin_bench_load")
    ap.add_argument("--users", type=int, default=120)
    ap.add_argument("--spawn-rate", type=float, default=10)
    ap.add_argument("--duration", default="10m")
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--households", type=int, default=3000)
    ap.add_argument("--dump-data", default="", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.dump_data:
        dump_data(args.dump_data)
        return
    if not args.database_url.startswith("postgres"):
        sys.exit("mixed_load: PostgreSQL only (--database-url postgres://…)")
    var = Path(args.var)
    env = bench_env(args.database_url, var / "var")
    data_path = var / "data.json"
    print(f"preparing {args.database_url} …", flush=True)
    data = prepare(env, data_path, demo_args=["--households", str(args.households)])
    print(
        f"  {len(data['grids'])} grids, {len(data['clerks'])} clerks, "
        f"{len(data['leaders'])} leaders, {len(data['categories'])} categories",
        flush=True,
    )
    server = Server(env, workers=args.workers, log_dir=var)
    sampler = PgSampler(args.database_url)
    try:
        server.start_web()
        server.start_worker()
        server.wait_ready()
        sampler.start()
        started = time.monotonic()
        rows = run_locust(
            server.base,
            data_path=data_path,
            out_prefix=var / "mixed",
            users=args.users,
            spawn_rate=args.spawn_rate,
            duration=args.duration,
        )
        seconds = min(time.monotonic() - started, parse_seconds(args.duration))
    finally:
        sampler.stop()
        server.stop()
    table, totals = load_table(rows, seconds=seconds)
    print()
    print(
        f"Mixed load, {args.users} users, {args.duration}, gunicorn {args.workers} workers, "
        f"PostgreSQL; {machine()}"
    )
    print()
    print(table)
    print()
    print(
        f"writes (intake, 签收, bookings, claims, sign-ups, visits) {totals['writes_per_s']:.1f}/s against 3× the design peak "
        f"{3 * DESIGN_PEAK_WRITES:.0f}/s; all requests {totals.get('rps', 0):.1f}/s; "
        f"errors {100 * totals.get('failures', 0) / max(totals.get('requests', 1), 1):.3f} %; "
        f"p95 {totals.get('p95', 0):.0f} ms; PostgreSQL connections {sampler.summary()}"
    )


if __name__ == "__main__":
    main()
