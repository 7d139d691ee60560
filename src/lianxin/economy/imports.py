"""The ledger's .xlsx import: read with the shared spreadsheet reader, run as a background job
(upload → dry run → report → "确认导入"), like ``lianxin.venues.imports``.

Rules enforced here, and why:
* a row names its village by 村（社区）编码 or, failing that, by 名称 (unique in the scope;
  two villages of the same name in scope are an error asking for the code);
* every row goes through ``income_set``, so the form's permission, validation and audit apply;
  a bad row is reported with its row number and nothing of it is written;
* the same village and year twice in one file is an error for the second row;
* a dry run rolls everything back; importing the same file twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lianxin.core.imports import audit_import, rollback_if
from lianxin.core.imports import run_import_job as run_import
from lianxin.core.spreadsheets import Field, ImportReport, read_table
from lianxin.economy.models import SOURCES
from lianxin.economy.services import income_set

RUNNER = "lianxin.economy.imports.run_import_job"
PERM = "economy.import_income"


def sheet_fields() -> list[Field]:
    return [
        Field(_("村（社区）编码"), "code", aliases=("编码", "区划代码")),
        Field(_("名称"), "name", aliases=("村（社区）", "村（社区）名称")),
        Field(_("年度"), "year", required=True),
        *[Field(str(label), key, aliases=(f"{label}（元）",)) for key, label in SOURCES],
        Field(_("备注"), "note"),
    ]


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "；".join(m for msgs in exc.message_dict.values() for m in msgs)
    return "；".join(exc.messages)


def economy_import(
    *,
    actor: Any,
    data: bytes | str | Path | IO[bytes],
    dry_run: bool = True,
    request=None,
    progress: Callable[..., None] | None = None,
) -> ImportReport:
    """Import the ledger sheet row by row (see the module docstring). A file that cannot be
    read raises ``ValidationError`` in Chinese; row problems are in ``report.errors``."""
    from lianxin.economy.selectors import villages_in_scope

    fields = sheet_fields()
    table = read_table(data, fields)
    if "code" not in table.index and "name" not in table.index:
        raise ValidationError(_("表头应有“村（社区）编码”或“名称”列。"))
    report = ImportReport(dry_run=dry_run, total=table.total)
    villages = list(villages_in_scope(user=actor))
    by_code = {v.code: v for v in villages}
    by_name: dict[str, list] = {}
    for v in villages:
        by_name.setdefault(v.name, []).append(v)
    seen: dict[tuple[int, str], int] = {}
    done = 0
    if progress is not None:
        progress(0, table.total, force=True)
    with rollback_if(dry_run):
        for row in table:
            done += 1
            n = row.number
            code, name = row.text("code"), row.text("name")
            village = by_code.get(code) if code else None
            if village is None and not code and name:
                found = by_name.get(name, [])
                if len(found) > 1:
                    report.error(
                        n, _("有多个名为“%(name)s”的村（社区），请填写编码。") % {"name": name}
                    )
                    continue
                village = found[0] if found else None
            if village is None:
                report.error(
                    n,
                    _("村（社区）“%(key)s”不存在或不在您的管辖范围内。") % {"key": code or name},
                )
                continue
            key = (village.pk, row.text("year"))
            if key in seen:
                report.error(
                    n, _("与第 %(n)s 行是同一村同一年度，请合并为一行。") % {"n": seen[key]}
                )
                continue
            seen[key] = n
            amounts = {k: row.values.get(k) for k, _label in SOURCES}
            try:
                with transaction.atomic():
                    income, outcome = income_set(
                        actor=actor,
                        village=village,
                        year=row.text("year"),
                        amounts=amounts,
                        note=row.text("note") if "note" in table.index else None,
                        request=request,
                    )
            except ValidationError as exc:
                report.error(n, _messages(exc))
                continue
            except PermissionDenied:
                report.error(n, _("无权填报“%(name)s”。") % {"name": village.name})
                continue
            if outcome == "unchanged":
                report.unchanged += 1
            elif outcome == "created":
                report.created += 1
                report.change(
                    n,
                    _("新增 %(name)s %(year)s 年") % {"name": village.name, "year": income.year},
                )
            else:
                report.updated += 1
                report.change(
                    n,
                    _("更新 %(name)s %(year)s 年") % {"name": village.name, "year": income.year},
                )
            if progress is not None and done % 200 == 0:
                progress(done, table.total)
    if progress is not None:
        progress(done, table.total, force=True)
    audit_import(actor=actor, request=request, reason="economy xlsx", report=report)
    return report


def run_import_job(run) -> None:
    """The job runner (``core.imports.run_import_job``): re-checks ``PERM`` as the owner."""
    run_import(run, perm=PERM, importer=economy_import)
