import logging
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection
from django.utils import timezone

from lianxin.core import joblock
from lianxin.core.registry import periodic_jobs

logger = logging.getLogger("lianxin.worker")


class Command(BaseCommand):
    help = (
        "后台任务进程：每分钟运行各模块的周期任务（诉求时限巡检、功能室未到场标记等）；"
        "多个进程同时运行时，每个任务每分钟只由其中一个运行"
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=60.0)
        parser.add_argument("--once", action="store_true", help="只运行一次后退出")
        parser.add_argument(
            "--max-runs", type=int, default=0, help="运行若干次后退出（0 表示一直运行）"
        )
        parser.add_argument(
            "--no-lock",
            action="store_true",
            help="不按分钟认领：每次都运行全部任务（即使本分钟已由其他进程运行）",
        )

    def handle(self, *args, interval, once, max_runs, no_lock, **options):
        jobs = periodic_jobs()
        holder = joblock.holder_name()
        runs = 0
        self.stdout.write(
            f"worker {holder} started: {len(jobs)} jobs every {interval:.0f}s"
            + (" (no lock)" if no_lock else ", each once a minute across workers")
            + ": "
            + ", ".join(n for n, _ in jobs)
        )
        while True:
            started = time.monotonic()
            if not connection.in_atomic_block:  # drop a stale connection between runs
                close_old_connections()
            self.tick(jobs, timezone.now(), holder=holder, lock=not no_lock)
            runs += 1
            if once or (max_runs and runs >= max_runs):
                return
            time.sleep(max(0.0, interval - (time.monotonic() - started)))

    def tick(self, jobs, now, *, holder: str, lock: bool) -> None:
        """Run every job this process claims for the minute of ``now``; skip the others."""
        skipped = []
        for name, job in jobs:
            try:
                if lock and not joblock.claim(name, now, holder=holder):
                    skipped.append(name)
                    continue
            except Exception:  # the database is away: try again next minute
                logger.exception("periodic job %s: could not claim", name)
                continue
            try:
                result = job(now)
                self.stdout.write(f"{timezone.localtime(now):%H:%M:%S} {name} {result}")
            except Exception:  # keep the loop alive; the next run catches up (idempotent)
                logger.exception("periodic job %s failed", name)
            if lock:
                try:
                    joblock.finish(name, now, holder=holder)
                except Exception:
                    logger.exception("periodic job %s: could not record its end", name)
        if skipped:
            self.stdout.write(
                f"{timezone.localtime(now):%H:%M:%S} skipped (run by another worker this minute): "
                + ", ".join(skipped)
            )
        self.stdout.flush()
