"""The archive sheet's import (县里的阵地摸底表): read with the shared spreadsheet reader, run
as a background job (upload → dry run → report → "确认导入"), written in chunks.

Rules enforced here, and why:
* each row is matched by (区划代码, 场所类型[, 名称]) and goes through ``venue_upsert``, so the
  form's validation, the scope check and the audit row apply to imported rows too;
* rows are written in chunks of ``LIANXIN_IMPORT_CHUNK`` rows, each in its own transaction:
  a county-sized file does not hold the database's write lock for minutes (SQLite has one),
  and progress is visible between chunks. A bad row is reported and skipped, as before;
* a dry run rolls every chunk back, so it writes nothing; the same key twice in one file is
  an error for the second row (otherwise a dry run could not tell what the file would do);
* importing the same file twice changes nothing (unchanged rows are not written).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.core.spreadsheets import Field, ImportReport, Row, read_table
from lianxin.org.models import Unit
from lianxin.org.scoping import user_scope
from lianxin.venues.models import VenueKind

RUNNER = "lianxin.venues.imports.run_import_job"


def sheet_fields() -> list[Field]:
    from lianxin.venues.services import SHEET_COLUMNS

    return [Field(label, key, required=key == "unit_code") for key, label in SHEET_COLUMNS]


class _DryRunRollback(Exception):
    pass


def _chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


def _describe(venue, changed: list[str]) -> str:
    from lianxin.venues.models import Venue

    if changed == ["*"]:
        return _("新增“%(name)s”") % {"name": venue.name}
    labels = []
    for name in changed:
        try:
            labels.append(str(Venue._meta.get_field(name).verbose_name))
        except Exception:
            labels.append(name)
    return _("更新“%(name)s”：%(fields)s") % {"name": venue.name, "fields": "、".join(labels)}


def venues_import(
    *,
    actor: Any,
    data: bytes | str | Path | IO[bytes],
    dry_run: bool = True,
    request=None,
    progress: Callable[..., None] | None = None,
    chunk: int | None = None,
) -> ImportReport:
    """Import the archive sheet row by row (see the module docstring for the rules). Raises
    ``ValidationError`` (in Chinese) when the file as a whole cannot be read; row problems are
    in ``report.errors`` as (row number, message)."""
    from lianxin.venues.services import READ_ONLY_COLUMNS, _messages, venue_upsert

    table = read_table(data, sheet_fields())
    report = ImportReport(dry_run=dry_run, total=table.total)
    scope = user_scope(actor)
    kinds_by_label = {str(label): value for value, label in VenueKind.choices}
    units: dict[str, Unit | None] = {}
    seen: dict[tuple, int] = {}
    size = chunk or int(getattr(settings, "LIANXIN_IMPORT_CHUNK", 500))
    writable = [
        k for k in table.index if k not in READ_ONLY_COLUMNS and k not in {"unit_code", "kind"}
    ]
    done = 0
    if progress is not None:
        progress(0, table.total, force=True)
    for rows in _chunks(table, size):
        codes = {r.text("unit_code") for r in rows} - set(units)
        found = {u.code: u for u in Unit.objects.filter(code__in=codes)}
        units.update({c: found.get(c) for c in codes})
        try:
            with transaction.atomic():
                for row in rows:
                    _import_row(row, report=report, actor=actor, request=request, scope=scope,
                                units=units, seen=seen, kinds=kinds_by_label, writable=writable,
                                upsert=venue_upsert, messages=_messages)
                if dry_run:
                    raise _DryRunRollback
        except _DryRunRollback:
            pass
        done += len(rows)
        if progress is not None:
            progress(done, table.total)
    if not dry_run:
        audit_record(
            action=AuditAction.IMPORT,
            actor=actor,
            request=request,
            reason="venues xlsx",
            extra={"created": report.created, "updated": report.updated,
                   "errors": len(report.errors), "rows": report.total},
        )
    return report


def _import_row(row: Row, *, report: ImportReport, actor, request, scope, units, seen, kinds,
                writable, upsert, messages) -> None:
    n = row.number
    code = row.text("unit_code")
    unit = units.get(code)
    if unit is None or not scope.covers(unit):
        report.error(n, _("区划代码“%(code)s”不存在或不在您的管辖范围内。") % {"code": code})
        return
    kind_raw = row.text("kind")
    kind = kinds.get(kind_raw, kind_raw or VenueKind.SERVICE_CENTER)
    key = (code, kind) if kind == VenueKind.SERVICE_CENTER else (code, kind, row.text("name"))
    if key in seen:
        report.error(n, _("与第 %(n)s 行是同一个阵地，请合并为一行。") % {"n": seen[key]})
        return
    seen[key] = n
    values = {k: row.values.get(k) for k in writable}
    try:
        venue, changed = upsert(actor=actor, unit=unit, kind=kind, values=values, request=request)
    except ValidationError as exc:
        report.error(n, "；".join(messages(exc)))
        return
    except PermissionDenied:
        report.error(n, _("区划代码“%(code)s”不存在或不在您的管辖范围内。") % {"code": code})
        return
    except IntegrityError:
        report.error(n, _("数据与已有记录冲突。"))
        return
    if changed == ["*"]:
        report.created += 1
    elif changed:
        report.updated += 1
    else:
        report.unchanged += 1
        return
    report.change(n, _describe(venue, changed))


def run_import_job(run) -> None:
    """The job runner: the uploaded file, as the job's owner, with the job's dry-run flag;
    re-checks the import permission, since the owner's roles may have changed meanwhile."""
    if not run.owner.has_perm("venues.import_venues"):
        raise PermissionDenied
    dry_run = bool(run.params.get("dry_run", True))
    with run.open_source() as fh:
        report = venues_import(actor=run.owner, data=fh, dry_run=dry_run, progress=run.progress)
    run.report = {"import": report.as_dict()}
    run.message = (
        _("试导入完成：请核对下方结果，确认无误后点“确认导入”。") if dry_run else _("导入完成。")
    )
