"""民情地图 at province scale (issue 11, bullet 7): N open requests with points over the Gansu
tree, then the viewport endpoint timed at three zooms.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianxin_bench_map \\
        .venv/bin/python bench/map_viewport.py [--n 100000] [--runs 20] [--samples 100]

Fills (up to N; reuses what is there): the Gansu division tree and one grid per village
(``bench/requests_scale.py``'s ``ensure_tree``), a point for every grid (seeded, inside Gansu's
extent, so requests cluster around their grid as they do on the ground), and N open requests
(``submitted``/``in_progress``, a fifth of them past their deadline) at points near their grid,
bulk-inserted. Then, in-process through Django's test client after a warm-up, for a
province-wide staff user (the widest scope, the most points in a viewport) and a 1280x800
viewport at the densest place: the median of ``--runs`` and the p99 of ``--samples`` requests
of ``/map/points.json`` at zooms 8, 11 and 14, and the response size. Prints a Markdown table.
Targets: p99 < 50 ms and < 100 KB per response on PostgreSQL.

``run()`` is also called by the test suite at a small scale over its test world (a smoke test).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianxin.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

GANSU = (92.8, 32.6, 108.7, 42.8)  # west, south, east, north
ZOOMS = (8, 11, 14)
SCREEN = (1280, 800)
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def _code(i: int) -> str:
    out = []
    for _ in range(9):
        i, r = divmod(i, 32)
        out.append(ALPHABET[r])
    return "BM" + "".join(out)


def place_grids(seed: int = 7, extent: tuple[float, float, float, float] = GANSU) -> int:
    """A point for every grid without one, spread over ``extent`` around its village's town."""
    from lianxin.org.models import Unit, UnitKind

    rng = random.Random(seed)
    grids = list(Unit.objects.filter(kind=UnitKind.GRID, lat__isnull=True).only("id", "parent_id"))
    towns: dict[int, tuple[float, float]] = {}
    w, s, e, n = extent
    for g in grids:
        centre = towns.setdefault(g.parent_id, (rng.uniform(s, n), rng.uniform(w, e)))
        g.lat = min(n, max(s, centre[0] + rng.gauss(0, 0.05)))
        g.lng = min(e, max(w, centre[1] + rng.gauss(0, 0.05)))
    Unit.objects.bulk_update(grids, ["lat", "lng"], batch_size=5000)
    return len(grids)


def fill(n: int, *, seed: int = 1, start: int = 0, batch: int = 5000) -> None:
    """``n`` open requests at points near their grid (a fifth overdue), bulk-inserted."""
    from lianxin.cases.models import Case, Category, State
    from lianxin.org.models import Unit, UnitKind

    rng = random.Random(seed)
    grids = list(
        Unit.objects.filter(kind=UnitKind.GRID, lat__isnull=False).values_list(
            "id", "parent_id", "parent__parent_id", "lat", "lng"
        )
    )
    cats = list(Category.objects.filter(parent__isnull=False).values_list("pk", flat=True)) or list(
        Category.objects.values_list("pk", flat=True)
    )
    now = timezone.now()
    t0 = time.perf_counter()
    rows = []
    for i in range(n):
        gid, vid, tid, glat, glng = grids[rng.randrange(len(grids))]
        created = now - timedelta(days=rng.uniform(0, 30))
        late = rng.random() < 0.2
        resolve_due = now - timedelta(days=1) if late else now + timedelta(days=rng.uniform(1, 7))
        rows.append(
            Case(
                code=_code(start + i),
                title="路灯不亮",
                description="小区门口的路灯坏了三天。",
                category_id=rng.choice(cats),
                reporter_name="张三",
                reporter_phone="13900000000",
                grid_id=gid,
                town_id=tid,
                village_id=vid,
                lat=round(glat + rng.gauss(0, 0.004), 6),
                lng=round(glng + rng.gauss(0, 0.004), 6),
                state=rng.choice([State.SUBMITTED, State.IN_PROGRESS, State.IN_PROGRESS]),
                owner_unit_id=gid,
                unit_id=gid,
                dispatched_at=created,
                accept_due_at=created + timedelta(days=1),
                resolve_due_at=resolve_due,
                created_at=created,
            )
        )
        if len(rows) >= batch:
            Case.objects.bulk_create(rows)
            rows = []
    if rows:
        Case.objects.bulk_create(rows)
    print(f"filled {n:,} requests with points in {time.perf_counter() - t0:.0f}s", flush=True)


def densest_point(user=None) -> tuple[float, float]:
    """The fullest 0.1-degree cell (of the requests ``user`` may see): where the viewport is centred."""
    from django.db.models import Count, F, IntegerField
    from django.db.models.functions import Cast, Floor

    from lianxin.cases.models import Case

    qs = Case.objects.all() if user is None else Case.objects.visible_to(user)
    row = (
        qs.filter(lat__isnull=False)
        .annotate(
            cx=Cast(Floor(F("lng") * 10), IntegerField()),
            cy=Cast(Floor(F("lat") * 10), IntegerField()),
        )
        .values("cx", "cy")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    if row is None:
        return (34.72, 104.89)
    return ((row["cy"] + 0.5) / 10, (row["cx"] + 0.5) / 10)


def bbox(lat: float, lng: float, zoom: int) -> str:
    width = SCREEN[0] / 256 * 360 / 2**zoom
    height = SCREEN[1] / 256 * 360 / 2**zoom
    return (
        f"{lng - width / 2:.5f},{lat - height / 2:.5f},{lng + width / 2:.5f},{lat + height / 2:.5f}"
    )


def _p99(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def run(user, *, runs: int = 20, samples: int = 100, zooms=ZOOMS, centre=None) -> list[dict]:
    """Time ``/map/points.json`` for ``user`` at each zoom: median, p99, KB, cells, points."""
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user, backend="lianxin.accounts.backends.PhoneOrUsernameBackend")
    lat, lng = centre or densest_point(user)
    out = []
    for zoom in zooms:
        url = f"/map/points.json?bbox={bbox(lat, lng, zoom)}&zoom={zoom}&layers=cases,wishes,venues,events"
        first = client.get(url)
        assert first.status_code == 200, (url, first.status_code, first.content[:200])
        times = []
        for _ in range(max(runs, samples)):
            t = time.perf_counter()
            r = client.get(url)
            times.append((time.perf_counter() - t) * 1000)
        body = r.json()
        cells = body["layers"]["cases"]
        out.append(
            {
                "zoom": zoom,
                "median": statistics.median(times[:runs]),
                "p99": _p99(times),
                "kb": len(r.content) / 1024,
                "cells": len(cells),
                "requests": sum(c["n"] for c in cells),
            }
        )
    return out


def table(rows: list[dict], runs: int, samples: int) -> str:
    lines = [
        f"| zoom | median of {runs} ms | p99 of {max(runs, samples)} ms | response KB | request cells | requests in view |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['zoom']} | {r['median']:.1f} | {r['p99']:.1f} | {r['kb']:.1f} | {r['cells']} | {r['requests']:,} |"
        )
    return "\n".join(lines)


def province_user():
    """``bench_province``: the administrator role at the province unit (all of Gansu in scope)."""
    from lianxin.accounts.models import User
    from lianxin.org.models import Role, Unit, UnitKind
    from lianxin.org.services import membership_grant

    user, created = User.objects.get_or_create(
        username="bench_province", defaults={"display_name": "bench_province"}
    )
    if created:
        membership_grant(
            user=user, unit=Unit.objects.get(kind=UnitKind.PROVINCE), role=Role.COUNTY_ADMIN
        )
    return user


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument(
        "--user", default="bench_province", help="bench_province (all Gansu) or bench_county"
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("set DATABASE_URL to a PostgreSQL database")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from bench.requests_scale import ensure_tree

    ensure_tree()
    print(f"grids placed: {place_grids()}")
    from lianxin.accounts.models import User
    from lianxin.cases.models import Case, Category

    if not Category.objects.exists():
        from tests.cases.factories import ensure_categories

        ensure_categories()
    have = Case.objects.filter(code__startswith="BM").count()
    if have < args.n:
        fill(args.n - have, seed=have + 1, start=have)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # the visibility map, as autovacuum keeps it
    user = province_user()
    if args.user != "bench_province":
        user = User.objects.get(username=args.user)
    rows = run(user, runs=args.runs, samples=args.samples)
    print(
        f"\n{Case.objects.count():,} requests; {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, PostgreSQL {connection.cursor().connection.info.server_version}\n"
    )
    print(f"user: {args.user}")
    print(table(rows, args.runs, args.samples))


if __name__ == "__main__":
    main()
