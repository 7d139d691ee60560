"""Recompute the rates rollup (CaseStat) from every request."""

import time

from django.core.management.base import BaseCommand

from lianxin.cases.stats import stats_rebuild


class Command(BaseCommand):
    help = "Recompute the 三率 rollup table from all requests (the services keep it current afterwards)."

    def handle(self, *args, **options):
        t = time.perf_counter()
        rows = stats_rebuild()
        self.stdout.write(f"cases rollup: {rows} rows in {time.perf_counter() - t:.1f}s")
