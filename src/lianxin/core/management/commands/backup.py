from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lianxin.core.backup import BackupError, backup_create
from lianxin.core.registry import record_audit


class Command(BaseCommand):
    help = (
        "备份数据库与附件（含行数与校验和清单）：PostgreSQL 用 pg_dump，SQLite 用在线备份；"
        "--format json 为可跨数据库迁移的 data.json"
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(Path(settings.VAR_DIR) / "backups"))
        parser.add_argument(
            "--format",
            choices=["native", "json"],
            default="native",
            help="native：数据库自身的备份（默认）；json：Django 序列化，可在 SQLite 与 PostgreSQL 之间迁移",
        )

    def handle(self, *args, output, format, **options):
        try:
            path = backup_create(output_dir=Path(output), fmt=format)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        record_audit(
            action="export",
            username="lianxin backup",
            target_repr=path.name,
            reason="backup",
        )
        self.stdout.write(str(path))
