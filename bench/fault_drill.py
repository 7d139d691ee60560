"""Fault drill (issue 16, bullet 4): kill -9 under load, then count every acknowledged write.

    .venv/bin/python bench/fault_drill.py [--database-url postgres://…/lianxin_bench_load]
        [--users 40] [--duration 150] [--restart-postgres]

Prepares the database as ``bench/mixed_load.py`` does (same demo county, same production
settings, the same locustfile), starts gunicorn (``--workers``) and ``lianxin worker`` (the
periodic jobs every ``--worker-interval`` seconds) and runs locust for ``--duration`` seconds.
Under that load, one at a time, each followed by the time to the first successful
``/healthz/`` (a database round trip, the static manifest and the cache) after it:

1. ``kill -9`` one gunicorn worker (the master forks a new one);
2. ``kill -9`` every gunicorn worker at once;
3. ``kill -9`` the gunicorn master (its workers exit when they see it gone), then start
   ``lianxin serve`` again on the same port, as systemd's ``Restart=always`` would;
4. ``kill -9`` ``lianxin worker`` (the periodic jobs: the deadline sweep among them) while
   ``--sweep-cases`` open requests fall due to be signed for, and start it again 30 s later;
5. ``pg_ctlcluster 15 main restart`` — only with ``--restart-postgres``, and refused when
   another database on the cluster has client connections or a pytest is running
   (this is a shared machine: never restart PostgreSQL under someone else's tests).

Redis is not used by this set-up (no ``REDIS_URL``): the database cache and the database task
queue. Afterwards, through Django (``bench/ledger.py``): every write in the locust ledger —
intakes, room bookings, wish claims, event sign-ups, visits, each acknowledged as the person at
the browser would see it — must be in the database exactly once under its key (form token,
booking token, wish and claimant, registration, visit token) as the client was told: per kind
0 lost and 0 duplicated (one key that made two rows, or two live rows where one is allowed);
what landed without an acknowledgement (a post whose answer the fault ate) is counted, for
information. And each of the requests that fell due while the worker was down must carry
exactly one 签收超时 mark (``EventKind.OVERDUE``), dated at its due time — the sweep caught up
once.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ledger  # noqa: E402
from mixed_load import (  # noqa: E402
    DEFAULT_DB,
    PY,
    PgSampler,
    Server,
    bench_env,
    healthy,
    load_table,
    machine,
    prepare,
    run_locust,
)


class Probe(threading.Thread):
    """GET /healthz/ every 50 ms; remembers when each answer was a 200."""

    def __init__(self, server: Server):
        super().__init__(daemon=True)
        self.server, self._stop = server, threading.Event()
        self.ok_times: list[tuple[float, float]] = []

    def run(self) -> None:
        while not self._stop.is_set():
            sent = time.monotonic()
            if healthy(self.server.base):
                self.ok_times.append((sent, time.monotonic()))
            time.sleep(0.05)

    def recovered_after(self, moment: float, timeout: float = 120.0) -> float | None:
        """Seconds from ``moment`` to the first 200 of a probe sent after it (waits up to
        ``timeout``); a probe already on its way when the fault came proves nothing."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            later = [done for sent, done in self.ok_times if sent > moment]
            if later:
                return later[0] - moment
            time.sleep(0.02)
        return None

    def stop(self) -> None:
        self._stop.set()


def django_child(action: str, payload: dict[str, Any], env: dict[str, str]) -> dict[str, Any]:
    """Run ``action`` in a child process with the bench's settings; its JSON answer."""
    out = subprocess.run(
        [PY, __file__, "--child", action, json.dumps(payload)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def child(action: str, payload: dict[str, Any]) -> dict[str, Any]:
    """Inside the child: ``due`` (make open requests fall due) or ``check`` (the ledger)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianxin.settings")
    import django

    django.setup()
    from datetime import timedelta

    from django.utils import timezone

    from lianxin.cases.models import AWAITING_ACCEPT_STATES, Case, EventKind

    if action == "due":
        due = timezone.now() + timedelta(seconds=payload["in_seconds"])
        ids = list(
            Case.objects.filter(state__in=AWAITING_ACCEPT_STATES, accept_overdue_at__isnull=True)
            .order_by("-id")
            .values_list("id", flat=True)[: payload["n"]]
        )
        # Warned already, so the sweep's only news for them is the overdue mark.
        Case.objects.filter(id__in=ids).update(accept_due_at=due, accept_warned_at=timezone.now())
        return {"ids": ids, "due": due.isoformat()}
    if action == "check":
        # The ledger may be a file (large drills: no argv limit) or the entries themselves.
        entries = payload.get("ledger")
        if entries is None:
            entries = ledger.read(payload["ledger_path"])
        sweep = []
        for case in Case.objects.filter(id__in=payload.get("sweep_ids", [])):
            marks = case.events.filter(kind=EventKind.OVERDUE).count()
            sweep.append(
                {
                    "id": case.pk,
                    "marks": marks,
                    "accepted_first": case.first_accepted_at is not None,
                }
            )
        return {
            "ledger_lines": len(entries),
            "kinds": ledger.check(entries, payload["since"]),
            # More ledgers against the same database in the same process (the CI test's
            # doctored one: the check must see a loss).
            "more": [ledger.check(more, payload["since"]) for more in payload.get("more", [])],
            "sweep": sweep,
        }
    raise SystemExit(f"unknown child action {action}")


def others_on_postgres(database_url: str) -> str:
    """Why PostgreSQL must not be restarted now ("" when nobody else is using it)."""
    ps = subprocess.run(["ps", "aux"], capture_output=True, text=True, check=False).stdout
    if any("pytest" in line and "grep" not in line for line in ps.splitlines()):
        running = [line for line in ps.splitlines() if "pytest" in line]
        pg_tests = [line for line in running if "postgres" in line]
        if pg_tests or not os.environ.get("LIANXIN_DRILL_IGNORE_SQLITE_PYTEST"):
            return "a pytest is running on this machine"
    dbname = database_url.rsplit("/", 1)[-1].split("?")[0]
    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    sql = (
        "select string_agg(distinct datname, ',') from pg_stat_activity "
        f"where datname not in ('{dbname}', 'postgres') and backend_type = 'client backend'"  # noqa: S608
    )
    out = subprocess.run(["psql", admin, "-Atc", sql], capture_output=True, text=True, check=False)
    busy = out.stdout.strip()
    return f"other databases in use: {busy}" if busy else ""


def main() -> None:  # noqa: PLR0915 - one drill, step by step
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_DB))
    ap.add_argument("--var", default="/tmp/lianxin_bench_drill")
    ap.add_argument("--users", type=int, default=40)
    ap.add_argument("--duration", type=int, default=180, help="seconds of load")
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--worker-interval", type=float, default=10.0)
    ap.add_argument("--sweep-cases", type=int, default=20)
    ap.add_argument("--restart-postgres", action="store_true")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], json.loads(args.child[1]))))
        return
    var = Path(args.var)
    var.mkdir(parents=True, exist_ok=True)
    env = bench_env(args.database_url, var / "var")
    data_path, ledger_path = var / "data.json", var / "ledger.jsonl"
    ledger_path.write_text("", encoding="utf-8")
    print(f"preparing {args.database_url} …", flush=True)
    prepare(env, data_path, demo_args=[])
    since = django_child("due", {"n": 0, "in_seconds": 0}, env)["due"]
    server = Server(env, workers=args.workers, log_dir=var)
    probe, sampler = Probe(server), PgSampler(args.database_url, every=2.0)
    results: list[tuple[str, float | None, str]] = []
    sweep: dict[str, Any] = {"ids": []}

    def step(name: str, at: float, action, note: str = "") -> None:
        time.sleep(max(0.0, at - (time.monotonic() - started)))
        moment = time.monotonic()
        extra = action() or ""
        results.append((name, probe.recovered_after(moment), note + extra))
        print(f"  {name}: {results[-1][1]}", flush=True)

    def kill_one() -> str:
        pid = server.worker_pids()[0]
        os.kill(pid, signal.SIGKILL)
        return f"pid {pid}"

    def kill_all() -> str:
        pids = server.worker_pids()
        for pid in pids:
            os.kill(pid, signal.SIGKILL)
        return f"{len(pids)} workers"

    def kill_master() -> str:
        assert server.web is not None
        old = server.web
        old_workers = server.worker_pids()
        os.kill(old.pid, signal.SIGKILL)
        old.wait()
        # The orphaned workers keep the port and finish the request in hand before they see
        # their parent gone; a new master started meanwhile fails to bind and gives up after
        # 5 tries (the first drill found the site down for good that way). Restart=always:
        # start it again until it stays up.
        starts = 0
        for _ in range(600):
            if server.web is old or server.web.poll() is not None:
                server.start_web()
                starts += 1
            if healthy(server.base) and server.web.poll() is None and server.worker_pids():
                break
            time.sleep(0.2)
        orphans = sum(1 for p in old_workers if Path(f"/proc/{p}").exists())
        return f"master pid {old.pid}; new master {server.web.pid} after {starts} start(s); {orphans} orphan(s) left"

    def kill_worker() -> str:
        assert server.worker is not None
        os.kill(server.worker.pid, signal.SIGKILL)
        server.worker.wait()
        sweep.update(django_child("due", {"n": args.sweep_cases, "in_seconds": 5}, env))
        time.sleep(30)  # the outage: the requests fall due with nobody sweeping
        server.start_worker(args.worker_interval)
        return f"{len(sweep['ids'])} requests fell due during the 30 s outage"

    def restart_pg() -> str:
        why = others_on_postgres(args.database_url)
        if why:
            return f"SKIPPED: {why}"
        subprocess.run(["pg_ctlcluster", "15", "main", "restart"], check=True)
        return "pg_ctlcluster 15 main restart"

    try:
        server.start_web()
        server.start_worker(args.worker_interval)
        server.wait_ready()
        probe.start()
        sampler.start()
        started = time.monotonic()

        def drill() -> None:
            step("kill -9 one gunicorn worker", 20, kill_one)
            step("kill -9 every gunicorn worker", 35, kill_all)
            step("kill -9 gunicorn master, restart", 50, kill_master)
            step("kill -9 lianxin worker, restart after 30 s", 70, kill_worker)
            if args.restart_postgres:
                step("restart PostgreSQL", 115, restart_pg)
            else:
                results.append(("restart PostgreSQL", None, "not asked (--restart-postgres)"))

        rows = run_locust(
            server.base,
            data_path=data_path,
            out_prefix=var / "drill",
            users=args.users,
            spawn_rate=10,
            duration=f"{args.duration}s",
            extra_env={"LIANXIN_LEDGER": str(ledger_path)},
            during=drill,
        )
        seconds = time.monotonic() - started
        time.sleep(args.worker_interval + 5)  # one more sweep pass after the load
    finally:
        probe.stop()
        sampler.stop()
        server.stop()
    check = django_child(
        "check", {"ledger_path": str(ledger_path), "since": since, "sweep_ids": sweep["ids"]}, env
    )
    table, totals = load_table(rows, seconds=seconds)
    print(f"\nFault drill, {args.users} users, {args.duration} s, {machine()}\n")
    print("| fault | time to first 200 on /healthz/ | note |")
    print("| --- | ---: | --- |")
    for name, rec, note in results:
        print(f"| {name} | {'—' if rec is None else f'{rec:.2f} s'} | {note} |")
    marks = [s["marks"] for s in check["sweep"] if not s["accepted_first"]]
    print(f"\nAcknowledged writes ({check['ledger_lines']} ledger lines) against the database:\n")
    print(ledger.table(check["kinds"]))
    print(
        "\n| overdue sweep after the worker's outage | count |\n| --- | ---: |\n"
        f"| requests due during the worker's outage, not signed for first | {len(marks)} |\n"
        f"| … marked overdue exactly once | {sum(1 for m in marks if m == 1)} |\n"
        f"| … marked more than once | {sum(1 for m in marks if m > 1)} |\n"
        f"| … not marked | {sum(1 for m in marks if m == 0)} |"
    )
    print(f"\nLoad during the drill (PostgreSQL connections {sampler.summary()}):\n")
    print(table)
    ok = ledger.passed(check["kinds"])
    ok = ok and all(m == 1 for m in marks)
    print("\nRESULT:", "PASS" if ok else "FAIL")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
