import logging
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection
from django.utils import timezone

from lianxin.cases.sweep import deadline_sweep

logger = logging.getLogger("lianxin.cases.worker")


class Command(BaseCommand):
    help = "后台任务进程：每分钟运行一次诉求时限巡检（lianxin sweep）"

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=60.0)
        parser.add_argument("--once", action="store_true", help="只运行一次后退出")
        parser.add_argument("--max-runs", type=int, default=0, help="运行若干次后退出（0 表示一直运行）")

    def handle(self, *args, interval, once, max_runs, **options):
        runs = 0
        self.stdout.write(f"worker started: sweep every {interval:.0f}s")
        while True:
            started = time.monotonic()
            if not connection.in_atomic_block:  # drop a stale connection between runs
                close_old_connections()
            try:
                result = deadline_sweep(now=timezone.now())
                self.stdout.write(f"{timezone.now():%H:%M:%S} {result.as_dict()}")
            except Exception:  # keep the loop alive; the next run catches up (idempotent)
                logger.exception("deadline sweep failed")
            runs += 1
            if once or (max_runs and runs >= max_runs):
                return
            time.sleep(max(0.0, interval - (time.monotonic() - started)))
