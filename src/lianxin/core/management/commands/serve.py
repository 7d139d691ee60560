import os
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "以生产服务器（gunicorn + whitenoise）运行"

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("LIANXIN_BIND", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("LIANXIN_WORKERS", "2"))
        )

    def handle(self, *args, bind, workers, **options):
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "lianxin.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
            "--timeout",
            "60",
            # gunicorn 27's control socket defaults to one path per user: two servers on a
            # machine (a county's test and live sites) would share it. We don't use it.
            "--no-control-socket",
        ]
        os.execv(sys.executable, argv)  # noqa: S606 - replaces this process with gunicorn
