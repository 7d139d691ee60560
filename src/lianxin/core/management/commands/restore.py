from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lianxin.core.backup import BackupError, backup_restore
from lianxin.core.registry import record_audit


class Command(BaseCommand):
    help = "从备份恢复数据库与附件（会清空现有数据）"

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--yes", action="store_true", help="确认清空现有数据")

    def handle(self, *args, archive, yes, **options):
        if not yes:
            raise CommandError("恢复会清空现有数据：确认请加 --yes")
        try:
            counts = backup_restore(archive=Path(archive))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        record_audit(
            action="import",
            username="lianxin restore",
            target_repr=Path(archive).name,
            reason="restore",
        )
        self.stdout.write(f"restored {sum(counts.values())} rows in {len(counts)} tables")
