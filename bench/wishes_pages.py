"""Time the 微心愿 and activities list pages on the demo county.

    .venv/bin/python bench/wishes_pages.py [--runs 7] [--fresh] [--database-url postgres://...]

Builds the whole demo county once in a scratch SQLite database (bench/.var/wishes, kept
between runs unless --fresh; or uses --database-url, which must hold the demo already or be
empty), logs in with Django's test client as the roles that use each page, requests each page
once to warm up and then ``--runs`` times, and prints the median and max in ms and the number
of queries. The budget is 300 ms per list page.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

BUDGET_MS = 300

PAGES = [
    # (role username or "party"/"resident", url name, query)
    ("county_admin", "wishes:wish_list", ""),
    ("county_admin", "wishes:wish_list", "?status=published"),
    ("county_admin", "wishes:stale", ""),
    ("county_admin", "wishes:stats", ""),
    ("town", "wishes:wish_list", ""),
    ("village", "wishes:wish_list", ""),
    ("village", "wishes:claimable", ""),
    ("party", "wishes:claimable", ""),
    ("party", "wishes:mine", ""),
    (None, "wishes:wall", "community"),
    ("county_admin", "events:event_list", ""),
    ("county_admin", "events:event_list", "?when=past"),
    ("county_admin", "volunteers:team_list", ""),
    ("county_admin", "volunteers:post_list", ""),
    ("county_admin", "volunteers:ranking", ""),
    ("county_admin", "events:programme_list", ""),
    ("county_admin", "events:programme_detail", "programme"),
    ("county_admin", "brands:brand_list", ""),
    ("county_admin", "brands:proposal_list", ""),
    ("village", "events:event_list", ""),
    ("party", "events:event_list", ""),
    ("party", "events:my_record", ""),
    ("county_admin", "core:home", ""),
]


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--database-url", default="")
    parser.add_argument(
        "--wishes",
        type=int,
        default=0,
        help="top the demo up to this many wishes (copies) to see how pages scale",
    )
    args = parser.parse_args()

    var = ROOT / "bench" / ".var" / "wishes"  # gitignored scratch space
    if args.fresh and var.exists():
        shutil.rmtree(var)
    var.mkdir(parents=True, exist_ok=True)
    os.environ["LIANXIN_VAR"] = str(var)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianxin.settings")
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)

    import django

    django.setup()
    import logging

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    logging.disable(logging.WARNING)
    call_command("migrate", verbosity=0)
    from lianxin.accounts.models import User
    from lianxin.events.models import TrainingProgramme
    from lianxin.org.models import Membership, Role
    from lianxin.wishes.models import Wish

    if not Wish.objects.exists():
        t0 = time.perf_counter()
        call_command("demo", verbosity=0)
        print(f"demo built in {time.perf_counter() - t0:.1f} s")

    def user_for(role):
        if role == "town":
            return (
                Membership.objects.filter(role=Role.TOWN_STAFF).order_by("unit__code").first().user
            )
        if role == "village":
            return (
                Membership.objects.filter(role=Role.VILLAGE_STAFF)
                .order_by("unit__code")
                .first()
                .user
            )
        if role == "party":
            # the party member with the most wishes around: a busy village
            return (
                Membership.objects.filter(role=Role.PARTY_MEMBER)
                .order_by("unit__code")
                .first()
                .user
            )
        return User.objects.get(username=role)

    have = Wish.objects.count()
    if args.wishes > have:
        t0 = time.perf_counter()
        template = list(Wish.objects.order_by("id")[:have])
        fields = [
            f.attname
            for f in Wish._meta.concrete_fields
            if f.attname not in ("id", "submission_key")
        ]
        batch = []
        for i in range(args.wishes - have):
            src = template[i % len(template)]
            batch.append(Wish(**{f: getattr(src, f) for f in fields}))
            if len(batch) == 5000:
                Wish.objects.bulk_create(batch)
                batch = []
        Wish.objects.bulk_create(batch)
        print(f"topped up to {Wish.objects.count()} wishes in {time.perf_counter() - t0:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # planner statistics after the bulk load
    community = (
        Wish.objects.order_by("community__code").values_list("community__code", flat=True).first()
    )
    programme = TrainingProgramme.objects.order_by("id").first()
    print(
        f"machine: {platform.machine()} {os.cpu_count()} cores, {connection.vendor}; "
        f"{Wish.objects.count()} wishes; runs={args.runs}"
    )
    print(f"{'role':<14}{'page':<42}{'median ms':>10}{'max ms':>9}{'queries':>9}")
    over = []
    for role, name, extra in PAGES:
        client = Client()
        if role:
            client.force_login(
                user_for(role), backend="lianxin.accounts.backends.PhoneOrUsernameBackend"
            )
        if extra == "community":
            url = reverse(name, args=[community])
        elif extra == "programme":
            url = reverse(name, args=[programme.pk])
        else:
            url = reverse(name) + extra
        counter = QueryCounter()
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        times = []
        for _ in range(args.runs):
            counter.count = 0
            with connection.execute_wrapper(counter):
                t0 = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - t0) * 1000)
        med = statistics.median(times)
        if med > BUDGET_MS:
            over.append(url)
        print(f"{role or 'anonymous':<14}{url:<42}{med:>10.1f}{max(times):>9.1f}{counter.count:>9}")
    print("over budget: " + (", ".join(over) if over else "none"))


if __name__ == "__main__":
    main()
