"""Time every GET route of the running code on the demo county, as the roles that use it.

    .venv/bin/python bench/routes.py [--runs 5] [--households 3000] [--fresh]

Builds the demo county in a scratch SQLite database (bench/.var, kept between runs unless
--fresh), logs in with Django's test client as county admin, a town clerk, a village clerk
and a grid worker, requests each route ``--runs`` times after one warm-up, and prints the
median per route and role, the number of queries, and the slowest five. Kwarg routes use
objects found in the demo data (see KWARGS below); routes it cannot fill are listed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--households", type=int, default=3000)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--only", default="", help="demo steps to build (default: all)")
    parser.add_argument(
        "--namespaces", default="", help="time only these URL namespaces, e.g. org,people"
    )
    args = parser.parse_args()

    var = ROOT / "bench" / ".var"
    if args.fresh and var.exists():
        shutil.rmtree(var)
    var.mkdir(parents=True, exist_ok=True)
    os.environ["LIANXIN_VAR"] = str(var)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianxin.settings")
    os.environ.pop("DATABASE_URL", None)

    import django

    django.setup()
    import logging

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    from django.urls import reverse

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    with open(os.devnull, "w") as devnull:
        call_command("demo", households=args.households, only=args.only, stdout=devnull)
    print(f"demo ready in {time.perf_counter() - t0:.1f}s (0 s when reused)")

    from bench.route_kwargs import KWARGS
    from lianxin.accounts.models import User
    from lianxin.core.routes import discover_routes, is_public, param_names

    roles = {
        "county_admin": "county_admin",
        "town": "town_100",
        "village": "village_100001",
        "grid": "grid_100001_01",
    }
    results = []  # (median ms, route, role, queries, status)
    skipped = []
    errors = []
    wanted = {n for n in args.namespaces.split(",") if n}
    for role, username in roles.items():
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user, backend="lianxin.accounts.backends.PhoneOrUsernameBackend")
        for _route, name, pattern in discover_routes():
            if name in {"accounts:logout", "set_language"}:
                continue
            if wanted and name.split(":")[0] not in wanted:
                continue
            if param_names(pattern):
                builder = KWARGS.get(name)
                kwargs = builder(user) if builder else None
                if kwargs is None:
                    skipped.append(name)
                    continue
                url = reverse(name, kwargs=kwargs)
            else:
                url = reverse(name)
            try:
                client.get(url)  # warm-up
            except Exception as exc:  # noqa: BLE001 - report and go on with the other routes
                errors.append(f"{name} ({role}): {type(exc).__name__}: {exc}")
                continue
            times = []
            counter = QueryCounter()
            with connection.execute_wrapper(counter):
                response = client.get(url)
            for _ in range(args.runs):
                start = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - start) * 1000)
            results.append(
                (
                    statistics.median(times),
                    url,
                    role,
                    counter.count,
                    response.status_code,
                    is_public(pattern),
                )
            )
    results.sort(reverse=True)
    print(f"\n{len(results)} route×role timings, median of {args.runs} runs (ms), queries, status")
    for ms, url, role, queries, status, _public in results:
        print(f"{ms:8.1f}  {queries:3d}q  {status}  {role:<12} {url}")
    print("\nslowest five:")
    for ms, url, role, queries, _status, _public in results[:5]:
        print(f"  {ms:.1f} ms  {url} ({role}, {queries} queries)")
    if errors:
        print("\nerrors:", *errors, sep="\n  ")
    if skipped:
        print(
            "\nnot timed (no demo kwargs in bench/route_kwargs.py):",
            ", ".join(sorted(set(skipped))),
        )


if __name__ == "__main__":
    main()
