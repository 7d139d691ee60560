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
from django.db.models import Q
from django.utils.translation import gettext as _

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from lianxin.core.imports import audit_import, rollback_if
from lianxin.core.imports import run_import_job as run_import
from lianxin.core.spreadsheets import Field, ImportReport, Row, read_table
from lianxin.org.models import Unit
from lianxin.org.scoping import user_scope
from lianxin.venues.models import VenueKind

RUNNER = "lianxin.venues.imports.run_import_job"


def sheet_fields() -> list[Field]:
    from lianxin.venues.services import SHEET_COLUMNS

    return [Field(label, key, required=key == "unit_code") for key, label in SHEET_COLUMNS]


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
    table = read_table(data, sheet_fields())
    run = _Import(actor=actor, request=request, table=table, dry_run=dry_run)
    size = chunk or int(getattr(settings, "LIANXIN_IMPORT_CHUNK", 500))
    done = 0
    if progress is not None:
        progress(0, table.total, force=True)
    for rows in _chunks(table, size):
        with rollback_if(dry_run):
            run.chunk(rows)
        done += len(rows)
        if progress is not None:
            progress(done, table.total)
    report = run.report
    audit_import(actor=actor, request=request, reason="venues xlsx", report=report)
    return report


class _Import:
    """One import's state across chunks: units by code, keys seen, the report."""

    def __init__(self, *, actor, request, table, dry_run: bool) -> None:
        from lianxin.venues.services import READ_ONLY_COLUMNS

        self.actor, self.request = actor, request
        self.report = ImportReport(dry_run=dry_run, total=table.total)
        self.scope = user_scope(actor)
        self.kinds = {str(label): value for value, label in VenueKind.choices}
        self.units: dict[str, Unit | None] = {}
        self.seen: dict[tuple, int] = {}
        skip = READ_ONLY_COLUMNS | {"unit_code", "kind"}
        self.writable = [k for k in table.index if k not in skip]

    def _key(self, unit_id: int, kind: str, name: str) -> tuple:
        return (unit_id, kind) if kind == VenueKind.SERVICE_CENTER else (unit_id, kind, name)

    def chunk(self, rows: list[Row]) -> None:
        """Look the chunk's units and existing venues up in three queries, so an unchanged
        row costs no query of its own; new venues are checked row by row and inserted together;
        rows that change an existing venue go through ``venue_upsert``."""
        from lianxin.venues.models import Venue

        codes = {r.text("unit_code") for r in rows} - set(self.units)
        found = {u.code: u for u in Unit.objects.filter(code__in=codes).select_related("parent")}
        self.units.update({c: found.get(c) for c in codes})
        unit_ids = {u.pk for r in rows if (u := self.units.get(r.text("unit_code")))}
        names = {r.text("name") for r in rows}
        existing = Venue.objects.filter(unit_id__in=unit_ids).filter(
            Q(kind=VenueKind.SERVICE_CENTER) | Q(name__in=names)
        )
        venues = {self._key(v.unit_id, v.kind, v.name): v for v in existing}
        pending: list[tuple] = []
        for row in rows:
            self.row(row, venues, pending)
        if pending:
            self._insert(pending)

    def row(self, row: Row, venues: dict, pending: list) -> None:
        from lianxin.venues.services import _messages, _normalise, _same, venue_build_new

        n, report = row.number, self.report
        code = row.text("unit_code")
        unit = self.units.get(code)
        if unit is None or not self.scope.covers(unit):
            report.error(n, _("区划代码“%(code)s”不存在或不在您的管辖范围内。") % {"code": code})
            return
        kind_raw = row.text("kind")
        kind = self.kinds.get(kind_raw, kind_raw or VenueKind.SERVICE_CENTER)
        key = self._key(unit.pk, kind, row.text("name"))
        if key in self.seen:
            report.error(n, _("与第 %(n)s 行是同一个阵地，请合并为一行。") % {"n": self.seen[key]})
            return
        self.seen[key] = n
        values = {k: row.values.get(k) for k in self.writable}
        current = venues.get(key)
        if current is None:
            try:
                venue, fields = venue_build_new(
                    actor=self.actor, unit=unit, kind=kind, values=values
                )
            except ValidationError as exc:
                report.error(n, "；".join(_messages(exc)))
            except PermissionDenied:
                report.error(
                    n, _("区划代码“%(code)s”不存在或不在您的管辖范围内。") % {"code": code}
                )
            else:
                pending.append((row, unit, kind, values, venue, fields))
            return
        try:
            clean = _normalise(values)
        except ValidationError:
            clean = None  # reported below by venue_upsert, with the field names
        if clean is not None and all(_same(getattr(current, k), v) for k, v in clean.items()):
            report.unchanged += 1
            return
        self._upsert(row, unit, kind, values)

    def _insert(self, pending: list[tuple]) -> None:
        """The chunk's new venues in one INSERT, each audited as ``venue_upsert`` would; if
        another writer created one of them meanwhile, every row goes the careful way instead."""
        from lianxin.venues.models import Venue

        try:
            with transaction.atomic():
                Venue.objects.bulk_create([p[4] for p in pending])
                for _row, _unit, _kind, _values, venue, fields in pending:
                    if venue.pk is None:  # a database that cannot return the new ids
                        raise IntegrityError("no ids returned")
                    audit_record(
                        action=AuditAction.CREATE,
                        actor=self.actor,
                        target=venue,
                        request=self.request,
                        extra={"fields": fields},
                    )
        except IntegrityError:
            for row, unit, kind, values, _venue, _fields in pending:
                self._upsert(row, unit, kind, values)
            return
        for row, _unit, _kind, _values, venue, _fields in pending:
            self.report.created += 1
            self.report.change(row.number, _describe(venue, ["*"]))

    def _upsert(self, row: Row, unit: Unit, kind: str, values: dict) -> None:
        from lianxin.venues.services import _messages, venue_upsert

        n, report = row.number, self.report
        try:
            venue, changed = venue_upsert(
                actor=self.actor, unit=unit, kind=kind, values=values, request=self.request
            )
        except ValidationError as exc:
            report.error(n, "；".join(_messages(exc)))
            return
        except PermissionDenied:
            report.error(
                n, _("区划代码“%(code)s”不存在或不在您的管辖范围内。") % {"code": unit.code}
            )
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
    """The job runner (``core.imports.run_import_job``): re-checks the import permission."""
    run_import(run, perm="venues.import_venues", importer=venues_import)
