from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lianxin.core.backup import BackupError, backup_restore
from lianxin.core.registry import record_audit


class Command(BaseCommand):
    help = "从备份恢复数据库与附件（会清空现有数据；按备份种类用 pg_restore、SQLite 在线备份或 loaddata）"

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--yes", action="store_true", help="确认清空现有数据")
        parser.add_argument(
            "--into-database",
            default=None,
            help="仅 PostgreSQL：恢复到同一服务器上的这个数据库（须已存在），不动当前数据库与附件",
        )

    def handle(self, *args, archive, yes, into_database, **options):
        if not yes:
            raise CommandError("恢复会清空现有数据：确认请加 --yes")
        try:
            counts = backup_restore(archive=Path(archive), database=into_database)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        record_audit(
            action="import",
            username="lianxin restore",
            target_repr=Path(archive).name,
            reason="restore" if into_database is None else f"restore into {into_database}",
        )
        self.stdout.write(f"restored {sum(counts.values())} rows in {len(counts)} tables")
