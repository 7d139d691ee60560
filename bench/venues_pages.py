"""Time the county-wide 阵地 pages with the demo data (median of several runs, query counts).

    LIANXIN_VAR=/tmp/venues-var .venv/bin/python manage.py migrate -v0
    LIANXIN_VAR=/tmp/venues-var .venv/bin/python manage.py demo
    LIANXIN_VAR=/tmp/venues-var .venv/bin/python bench/venues_pages.py [--runs 15]

Runs in-process through Django's test client (no network), logged in as the county admin,
so the figures are view + selector + template time; gunicorn adds a little on top.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianxin.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from lianxin.accounts.models import User  # noqa: E402
from lianxin.rooms.models import Room  # noqa: E402
from lianxin.venues.models import SurveyCampaign, Venue  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--user", default="county_admin")
    args = parser.parse_args()

    user = User.objects.get(username=args.user)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user, backend="lianxin.accounts.backends.PhoneOrUsernameBackend")
    venue = Venue.objects.filter(kind="service_center").order_by("id").first()
    campaign = SurveyCampaign.objects.order_by("id").first()
    room = Room.objects.filter(is_bookable=True).order_by("id").first()
    pages = [
        ("archive (county)", "/venues/"),
        ("archive page 5", "/venues/?page=5"),
        ("archive hazards", "/venues/?flag=hazard"),
        ("plans (county)", "/venues/plans/"),
        ("campaign progress", f"/venues/campaigns/{campaign.pk}/" if campaign else None),
        ("usage stats (week)", "/venues/usage/"),
        ("venue detail", f"/venues/{venue.pk}/"),
        ("public board", f"/venues/{venue.pk}/board/"),
        ("room booking page", f"/venues/rooms/{room.pk}/"),
        ("export xlsx (383 rows)", "/venues/export.xlsx"),
    ]
    print(
        f"machine: {platform.node()} {platform.machine()} cpus={os.cpu_count()} "
        f"db={connection.vendor} venues={Venue.objects.count()}"
    )
    print(f"{'page':<26}{'median ms':>10}{'p90 ms':>9}{'queries':>9}")
    for label, url in pages:
        if url is None:
            continue
        for _ in range(2):  # warm up
            client.get(url)
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        times.sort()
        p90 = times[int(len(times) * 0.9) - 1]
        print(
            f"{label:<26}{statistics.median(times):>10.1f}{p90:>9.1f}{len(ctx.captured_queries):>9}"
        )


if __name__ == "__main__":
    main()
