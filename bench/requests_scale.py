"""诉求 at province scale (issue 3, bullet 12): fill PostgreSQL with N requests over the whole
Gansu tree, then time the pages.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_bench \\
        .venv/bin/python bench/requests_scale.py [--n 1000000] [--runs 5] [--samples 50]
            [--load-seconds 10] [--load-connections 8] [--skip-fill]

Fills (up to N; --skip-fill reuses whatever is there): the Gansu division tree (all 17,718
villages and communities), one grid per village, a few staff accounts, and N requests spread
over every grid and the last 12 months with COPY in chunks of ``--chunk`` rows, each chunk its
own transaction (``--n 10000000`` streams the same way; states, ratings, deadlines and bigram
search tokens as the app writes them), then rebuilds the rates rollup (``lianxin cases_stats_rebuild``).
Then, in-process through Django's test client, after a warm-up: the median of ``--runs`` requests,
the p99 of ``--samples`` requests and the number of queries for a village clerk's queue, a town's
overdue list, a request page, 2- and 4-character searches, the county's three-rates page and the
monthly ranking; finally requests/s (and latency p50/p99) for the list page under ``wrk -t2
-c8`` (Debian's wrk; ``--load-connections``) against gunicorn (2 workers) on loopback for
``--load-seconds``. Prints a Markdown table and the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianxin.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def ensure_tree() -> None:
    from lianxin.org.models import Role, Unit, UnitKind
    from lianxin.org.services import divisions_import, membership_grant, unit_path

    if (
        not Unit.objects.filter(kind=UnitKind.VILLAGE).exists()
        and not Unit.objects.filter(kind=UnitKind.COMMUNITY).exists()
    ):
        t = time.perf_counter()
        print(divisions_import(county=None), f"{time.perf_counter() - t:.1f}s")
    if not Unit.objects.filter(kind=UnitKind.GRID).exists():
        villages = list(
            Unit.objects.filter(kind__in=[UnitKind.VILLAGE, UnitKind.COMMUNITY]).only(
                "id", "code", "path", "depth", "name"
            )
        )
        grids = [
            Unit(
                code=f"{v.code}-G01",
                name=f"{v.name}第1网格",
                kind=UnitKind.GRID,
                parent_id=v.pk,
                path=unit_path(v, f"{v.code}-G01"),
                depth=v.depth + 1,
            )
            for v in villages
        ]
        Unit.objects.bulk_create(grids, batch_size=5000)
        print(f"grids: {len(grids)}")
    from lianxin.accounts.models import User

    village = (
        Unit.objects.filter(kind__in=[UnitKind.VILLAGE, UnitKind.COMMUNITY])
        .order_by("code")
        .first()
    )
    town = village.parent
    county = town.parent
    for username, unit, role in [
        ("bench_village", village, Role.VILLAGE_STAFF),
        ("bench_town", town, Role.TOWN_STAFF),
        ("bench_county", county, Role.COUNTY_ADMIN),
        ("bench_grid", Unit.objects.get(code=f"{village.code}-G01"), Role.GRID_WORKER),
    ]:
        user, created = User.objects.get_or_create(
            username=username, defaults={"display_name": username}
        )
        if created:
            user.set_password("Bench-pass-123")
            user.save()
        membership_grant(user=user, unit=unit, role=role)


def _bench_code(i: int) -> str:
    """11 characters: never equal to an app-made 10-character code, unique per row number."""
    out = []
    for _ in range(9):
        i, r = divmod(i, 32)
        out.append(ALPHABET[r])
    return "BX" + "".join(out)


def fill(n: int, seed: int = 1, start: int = 0, chunk: int = 200_000) -> None:
    from lianxin.cases.demo import WEIGHTS
    from lianxin.cases.models import Case, Category
    from lianxin.org.models import Unit, UnitKind

    rng = random.Random(seed)
    grids = list(
        Unit.objects.filter(kind=UnitKind.GRID).values_list(
            "id", "parent_id", "parent__parent_id", "parent__name"
        )
    )
    cats = {c.code: c.pk for c in Category.objects.all()}
    cat_codes = list(WEIGHTS)
    cat_weights = [WEIGHTS[c] for c in cat_codes]
    users = list(
        Case._meta.get_field("owner_user").related_model.objects.values_list("id", flat=True)[:50]
    )
    now = timezone.now()
    fields = [f for f in Case._meta.concrete_fields if f.name != "id"]
    cols = [f.column for f in fields]
    token_cache: dict[str, str] = {}
    t0 = time.perf_counter()
    for chunk_start in range(0, n, chunk):
        _fill_chunk(
            rng,
            range(chunk_start, min(n, chunk_start + chunk)),
            start,
            grids,
            cats,
            cat_codes,
            cat_weights,
            users,
            now,
            fields,
            cols,
            token_cache,
        )
        print(
            f"  {min(n, chunk_start + chunk):,} rows, {time.perf_counter() - t0:.0f}s", flush=True
        )
    print(f"filled {n:,} requests in {time.perf_counter() - t0:.0f}s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_case")


def _fill_chunk(
    rng, rows, start, grids, cats, cat_codes, cat_weights, users, now, fields, cols, token_cache
) -> None:
    """One COPY (one transaction in autocommit mode), so 10M rows never sit in one transaction."""
    from lianxin.cases import search
    from lianxin.cases.demo import TEXTS

    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY cases_case ({', '.join(cols)}) FROM STDIN") as copy:  # noqa: S608
            for i in rows:
                gid, vid, tid, vname = grids[rng.randrange(len(grids))]
                code_cat = rng.choices(cat_codes, cat_weights)[0]
                title, desc = rng.choice(TEXTS[code_cat])
                description = desc.format(place=f"{vname}{rng.randint(1, 9)}组")
                key = title + description
                tokens = token_cache.get(key)
                if tokens is None:
                    tokens = token_cache[key] = search.index_text(title, description)
                created = now - timedelta(days=rng.uniform(0, 365))
                accept_due = created + timedelta(hours=24)
                resolve_due = created + timedelta(days=7)
                age = now - created
                r = rng.random()
                row = {
                    "code": _bench_code(start + i),
                    "idempotency_key": None,
                    "title": title,
                    "description": description,
                    "search_tokens": tokens,
                    "category_id": cats[code_cat],
                    "priority": "normal",
                    "channel": "resident",
                    "reporter_id": None,
                    "reporter_name": "张三",
                    "reporter_phone": "13900000000",
                    "created_by_id": None,
                    "grid_id": gid,
                    "town_id": tid,
                    "village_id": vid,
                    "address": "",
                    "lat": None,
                    "lng": None,
                    "state": "submitted",
                    "owner_user_id": None,
                    "owner_unit_id": gid,
                    "unit_id": gid,
                    "handler_post": "",
                    "supervising_unit_id": None,
                    "dispatched_at": created,
                    "accept_due_at": accept_due,
                    "resolve_due_at": resolve_due,
                    "accepted_at": None,
                    "first_accepted_at": None,
                    "accepted_on_time": None,
                    "resolved_at": None,
                    "resolved_on_time": None,
                    "handling_minutes": None,
                    "closed_at": None,
                    "resolution": "",
                    "reject_reason": "",
                    "merged_into_id": None,
                    "sent_back": False,
                    "reopen_count": 0,
                    "accept_warned_at": None,
                    "accept_overdue_at": None,
                    "resolve_warned_at": None,
                    "resolve_overdue_at": None,
                    "supervised_at": None,
                    "extension_state": "",
                    "extension_until": None,
                    "extension_reason": "",
                    "rating": "",
                    "rating_comment": "",
                    "rated_at": None,
                    "created_at": created,
                    "updated_at": now,
                }
                if age > timedelta(days=10) or r < 0.7:
                    acc = created + timedelta(hours=rng.choice([1, 2, 6, 30]))
                    row.update(
                        state="in_progress",
                        owner_user_id=rng.choice(users),
                        owner_unit_id=None,
                        accepted_at=acc,
                        first_accepted_at=acc,
                        accepted_on_time=acc <= accept_due,
                    )
                    res = acc + timedelta(days=rng.uniform(0.2, 9))
                    if res < now:
                        rating = rng.choices(
                            ["satisfied", "basic", "unsatisfied", "unrated"], [70, 16, 5, 9]
                        )[0]
                        row.update(
                            state="closed",
                            resolved_at=res,
                            resolved_on_time=res <= resolve_due,
                            handling_minutes=int((res - created).total_seconds() // 60),
                            closed_at=res,
                            resolution="已处理",
                            rating=rating,
                            rated_at=res if rating != "unrated" else None,
                        )
                    elif now > resolve_due:
                        row.update(resolve_overdue_at=resolve_due, supervised_at=resolve_due)
                elif now > accept_due:
                    row.update(accept_overdue_at=accept_due, supervised_at=accept_due)
                # Columns added to the model since this fill was written take their defaults
                # (due_provisional, due_basis, rated_unit, rated_handler ...).
                copy.write_row(
                    [row[f.attname] if f.attname in row else _default(f) for f in fields]
                )


def _default(field):
    """A column's value for a row that does not set it: the field's default, else NULL."""
    if field.has_default():
        value = field.get_default()
        return json.dumps(value) if field.get_internal_type() == "JSONField" else value
    return None


def measure(
    client: Client, url: str, runs: int, samples: int
) -> tuple[float, float, float, int, int]:
    """Median of the first ``runs`` timings (and of their SQL time) and p99 of ``samples`` (>= runs)."""
    client.get(url)
    times, sql = [], []
    for _ in range(max(runs, samples)):
        with CaptureQueriesContext(connection) as q:
            t = time.perf_counter()
            r = client.get(url)
            times.append((time.perf_counter() - t) * 1000)
        sql.append(sum(float(x["time"]) for x in q.captured_queries) * 1000)
    return (
        statistics.median(times[:runs]),
        _p99(times),
        statistics.median(sql[:runs]),
        len(q.captured_queries),
        r.status_code,
    )


def _p99(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


_WRK_LATENCY = re.compile(r"^\s+(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s)\s*$", re.M)


def wrk(url: str, cookie: str, seconds: float, connections: int) -> tuple[float, int, float, float]:
    """Requests/s, errors, p50 and p99 (ms) from ``wrk -t2 -c<connections> --latency`` (Debian's
    wrk: a C load generator, not Python threads competing with the server for the cores)."""
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk (or pass --load-seconds 0)")
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--latency",
            "-H",
            f"Cookie: {cookie}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    lat = {pct: float(v) * scale[unit] for pct, v, unit in _WRK_LATENCY.findall(out)}
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(bad.group(1)) if bad else 0) + (sum(map(int, sock.groups())) if sock else 0)
    return rps, errors, lat.get("50", float("nan")), lat.get("99", float("nan"))


def load(
    url: str, cookie: str, seconds: float, connections: int = 8
) -> tuple[float, int, float, float]:
    """The page under ``wrk`` against gunicorn (2 workers) on loopback for ``seconds``."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = str(sock.getsockname()[1])
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "lianxin.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        for _ in range(100):
            if proc.poll() is not None:
                raise RuntimeError("gunicorn did not start")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        # warm both workers up before counting
        for _ in range(4):
            urllib.request.urlopen(
                urllib.request.Request(f"http://127.0.0.1:{port}{url}", headers={"Cookie": cookie}),
                timeout=10,
            ).read()  # noqa: S310
        return wrk(f"http://127.0.0.1:{port}{url}", cookie, seconds, connections)
    finally:
        proc.terminate()
        proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5, help="timings the median is taken over")
    parser.add_argument("--samples", type=int, default=50, help="timings the p99 is taken over")
    parser.add_argument("--chunk", type=int, default=200_000, help="rows per COPY transaction")
    parser.add_argument("--load-seconds", type=float, default=10)
    parser.add_argument("--load-connections", type=int, default=8, help="wrk -c")
    parser.add_argument("--skip-fill", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("set DATABASE_URL to a PostgreSQL database")
    call_command("migrate", verbosity=0)
    ensure_tree()
    from lianxin.accounts.models import User
    from lianxin.cases.models import Case

    if not args.skip_fill:
        have = Case.objects.count()
        if have < args.n:
            fill(args.n - have, seed=have + 1, start=have, chunk=args.chunk)
    from lianxin.cases.models import CaseStat

    if not args.skip_fill or not CaseStat.objects.exists():
        t = time.perf_counter()
        call_command("cases_stats_rebuild")
        print(f"rollup rebuilt in {time.perf_counter() - t:.1f}s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics for the units and requests just loaded
    total = Case.objects.count()
    month = f"{timezone.localdate():%Y-%m}"
    village_user = User.objects.get(username="bench_village")
    village = village_user.memberships.get().unit
    county = village.parent.parent
    sample = (
        Case.objects.filter(grid__parent=village).order_by("-id").first()
        or Case.objects.filter(grid__path__startswith=county.path).order_by("-id").first()
    )
    pages = [
        (
            "village clerk's queue (open, due first)",
            "bench_village",
            "/cases/?view=all&state=in_progress&sort=due",
        ),
        ("village clerk's list (all, newest)", "bench_village", "/cases/"),
        ("town's overdue list", "bench_town", "/cases/?view=overdue&sort=due"),
        ("request page", "bench_county", f"/cases/{sample.pk}/"),
        ("search 2 chars 路灯 (county)", "bench_county", "/cases/?q=路灯"),
        ("search 4 chars 供暖不热 (county)", "bench_county", "/cases/?q=供暖不热"),
        ("county three rates, current month", "bench_county", f"/cases/rates/?month={month}"),
        ("monthly ranking of towns", "bench_county", f"/cases/ranking/?month={month}&level=town"),
    ]
    client = Client(HTTP_HOST="127.0.0.1")
    print(
        f"\n{total:,} requests; {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"PostgreSQL {connection.cursor().connection.info.server_version}\n"
    )
    print(
        f"| page | median of {args.runs} ms | p99 of {max(args.runs, args.samples)} ms | SQL ms (median) | queries |\n"
        "| --- | ---: | ---: | ---: | ---: |"
    )
    for label, username, url in pages:
        client.force_login(
            User.objects.get(username=username),
            backend="lianxin.accounts.backends.PhoneOrUsernameBackend",
        )
        med, p99, sql, queries, status = measure(client, url, args.runs, args.samples)
        print(
            f"| {label} | {med:.1f} | {p99:.1f} | {sql:.0f} | {queries} |"
            + ("" if status == 200 else f" (HTTP {status})")
        )
    if args.load_seconds > 0:
        client.force_login(village_user, backend="lianxin.accounts.backends.PhoneOrUsernameBackend")
        cookie = f"sessionid={client.cookies['sessionid'].value}"
        rps, errors, p50, p99 = load("/cases/", cookie, args.load_seconds, args.load_connections)
        print(
            f"\nvillage list page under load (gunicorn 2 workers, wrk -t2 -c{args.load_connections} "
            f"on loopback for {args.load_seconds:.0f}s): {rps:.0f} req/s, "
            f"latency p50 {p50:.0f} ms, p99 {p99:.0f} ms, {errors} errors"
        )


if __name__ == "__main__":
    main()
