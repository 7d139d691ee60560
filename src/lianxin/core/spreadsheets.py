"""One spreadsheet mechanism for every .xlsx export and import, safe by construction.

Writing (declarative)::

    from lianxin.core.spreadsheets import Column, Sheet, xlsx_response

    sheet = Sheet(
        title=_("阵地档案"),
        scope=unit.name,                      # "武山县" → title row "武山县 · 阵地档案 · 导出于 …"
        columns=[
            Column(_("名称"), "name", width=22),                       # attribute or dict key
            Column(_("建筑面积（㎡）"), "floor_area", kind="decimal"),
            Column(_("服务区域占比"), lambda v: v.share, kind="percent"),  # a getter
            Column(_("建设日期"), "built_on", kind="date"),
        ],
        rows=queryset.iterator(chunk_size=1000),
    )
    return xlsx_response(_("阵地档案.xlsx"), [sheet])

Every text cell is written as a string cell (``data_type "s"``, an inline string), so a value such as ``=HYPERLINK(...)`` planted by a user is shown as text and never runs
as a formula when the county office opens the file; nothing in this module ever writes a ``<f>``
element. Text cells that start with ``= + - @``, a tab or a CR additionally get the quotePrefix
style, so Excel and WPS keep them text after an edit. Characters XML cannot hold are dropped
instead of raising. Numbers stay numbers, rates are numbers with a % format (0.756 → 75.6%),
datetimes are converted to Asia/Shanghai and written naive. Each sheet has a title row (scope,
title, export time), a bold frozen header row, column widths and an A4 landscape print set-up
that repeats the header and fits the width. Sheets are written in openpyxl's write-only
(streaming) mode, so a county's archive does not sit in memory as cell objects.

Reading::

    from lianxin.core.spreadsheets import Field, read_table

    table = read_table(data, [Field("区划代码", "unit_code", required=True), Field("名称", "name")])
    for row in table:                       # Row(number=3, values={"unit_code": ..., ...}, ...)
        ...
    table.errors                            # [RowError(number, message)] → "行 3：…"

The header row is found by its Chinese names (the first rows may be a title); columns match by
name, not position; unknown columns are ignored. Short rows are padded with None, long rows'
extra cells are ignored (``row.extra`` tells, and ``extra="error"`` reports them); never an
IndexError. Files above ``LIANXIN_IMPORT_MAX_ROWS`` (default 100 000) data rows are refused with a
Chinese message. The file is read in openpyxl's read-only mode. Whole-file problems raise
:class:`SpreadsheetError` (a ``ValidationError``) with a Chinese message. Dry runs and writes
are the caller's business (see :class:`ImportReport`, shared by every import for its report
page and the background job's result).

Large work goes through ``lianxin.jobs``: ``lianxin.jobs.exports.export_response`` sends an
export inline or, above ``LIANXIN_EXPORT_INLINE_ROWS``, as a job; an import is started with
``lianxin.jobs.services.job_start`` (upload kept privately, progress page, "确认导入" of a dry
run) — ``lianxin.venues.imports`` is the worked example.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, Literal
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Kind = Literal["text", "int", "decimal", "percent", "date", "datetime"]
KINDS = ("text", "int", "decimal", "percent", "date", "datetime")
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MAX_TEXT = 32767  # Excel's limit for one cell
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
_NUMBER_FORMATS = {
    "int": "0",
    "percent": "0.0%",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
}


# --- writing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of an export.

    ``key`` is an attribute name or dict key of the row (dotted for related objects:
    ``"unit.name"``), or a callable ``row -> value``; ``None`` means ``row[index]`` for tuple rows.
    ``kind`` says how the value is written: ``text`` (always a string cell, never a formula),
    ``int``, ``decimal`` (``digits`` places shown), ``percent`` (a fraction 0–1 shown as %),
    ``date`` or ``datetime`` (aware datetimes converted to Asia/Shanghai). ``width`` in
    characters; by default from the header's length.
    """

    header: str
    key: str | Callable[[Any], Any] | None = None
    kind: Kind = "text"
    width: float | None = None
    digits: int = 2

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")


@dataclass
class Sheet:
    """One worksheet: a title row "<scope> · <title> · 导出于 <time>", the header row, then one
    line per item of ``rows`` (any iterable: a queryset iterator, dicts, tuples). ``name`` is
    the tab name (default ``title``; cut to Excel's 31 characters)."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Any]
    scope: str = ""
    name: str = ""


def _lookup(row: Any, key: str) -> Any:
    value = row
    for part in key.split("."):
        if value is None:
            return None
        value = value.get(part) if isinstance(value, dict) else getattr(value, part)
    return value


def column_value(column: Column, row: Any, index: int) -> Any:
    """The raw value of ``column`` for ``row`` (before it is made cell-safe)."""
    if column.key is None:
        return row[index]
    if callable(column.key):
        return column.key(row)
    return _lookup(row, column.key)


def safe_text(value: Any) -> str:
    """``value`` as text a spreadsheet cell can hold: control characters dropped, cut to Excel's
    32 767 characters. The result may still start with ``=``; it is the string cell type set by
    the writer that keeps it from being a formula."""
    if value is None:
        return ""
    text = _ILLEGAL.sub("", str(value))
    return text[:MAX_TEXT]


def _local_naive(value: datetime) -> datetime:
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None)


def _typed(kind: Kind, value: Any) -> Any:
    """Coerce ``value`` for a non-text column; None for empty; text when it cannot be coerced."""
    if value is None or value == "":
        return None
    try:
        if kind == "int":
            if isinstance(value, bool):
                return int(value)
            return int(value) if float(value) == int(float(value)) else float(value)
        if kind in ("decimal", "percent"):
            return float(value) if not isinstance(value, int | float) else value
        if kind == "datetime":
            if isinstance(value, datetime):
                return _local_naive(value)
            if isinstance(value, date):
                return datetime(value.year, value.month, value.day)  # noqa: DTZ001
        if kind == "date":
            if isinstance(value, datetime):
                return _local_naive(value).date()
            if isinstance(value, date):
                return value
    except (TypeError, ValueError, ArithmeticError):
        pass
    return None if kind in ("date", "datetime") and not value else safe_text(value)


def _text_cell(ws, text: str):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws)
    cell._value = text  # never through the value setter, which turns "=…" into a formula
    cell.data_type = "s"
    if text.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True
    return cell


def title_line(sheet: Sheet, now: datetime | None = None) -> str:
    """The title row's text, e.g. "武山县 · 阵地档案 · 导出于 2026-12-01 09:30"."""
    stamp = timezone.localtime(now or timezone.now()).strftime("%Y-%m-%d %H:%M")
    parts = [p for p in (sheet.scope, sheet.title) if p]
    parts.append(_("导出于 %(time)s") % {"time": stamp})
    return " · ".join(parts)


_scope_labeller: Callable[[Any], str] | None = None


def register_scope_labeller(labeller: Callable[[Any], str]) -> None:
    """Set who names a user's scope for the title row (``org.scoping.scope_label``, registered
    in ``OrgConfig.ready``): core knows no organisation tree."""
    global _scope_labeller
    _scope_labeller = labeller


def scope_label(user: Any) -> str:
    """The units a staff user's exports cover, for the title row ("武山县", "城关镇、洛门镇");
    "全部" for a superuser (from the registered labeller; "" without one)."""
    return _scope_labeller(user) if _scope_labeller is not None else ""


def _tab_name(name: str, taken: set[str]) -> str:
    base = re.sub(r"[\\/*?:\[\]]", "_", name)[:31] or "Sheet"
    out, n = base, 2
    while out.lower() in taken:
        suffix = f" ({n})"
        out, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(out.lower())
    return out


def write_workbook(
    sheets: Iterable[Sheet],
    fh: IO[bytes],
    *,
    now: datetime | None = None,
    progress: Callable[[int], None] | None = None,
    progress_every: int = 1000,
) -> int:
    """Write ``sheets`` as one .xlsx to the binary file ``fh``; returns the number of data rows.
    ``progress(rows_so_far)`` is called every ``progress_every`` rows (background exports)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    bold, title_font = Font(bold=True), Font(bold=True, size=13)
    wrap = Alignment(vertical="center", wrap_text=True)
    taken: set[str] = set()
    total = 0
    for sheet in sheets:
        ws = wb.create_sheet(_tab_name(sheet.name or sheet.title, taken))
        columns = list(sheet.columns)
        for i, col in enumerate(columns, start=1):
            width = col.width or max(8.0, min(40.0, len(col.header) * 2.2 + 2))
            ws.column_dimensions[get_column_letter(i)].width = width
        ws.freeze_panes = "A3"
        ws.print_title_rows = "2:2"
        ws.page_setup.paperSize = "9"  # A4
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        title = _text_cell(ws, safe_text(title_line(sheet, now)))
        title.font = title_font
        ws.append([title])
        header = []
        for col in columns:
            cell = _text_cell(ws, safe_text(col.header))
            cell.font, cell.alignment = bold, wrap
            header.append(cell)
        ws.append(header)
        formats = {
            i: (_NUMBER_FORMATS.get(c.kind) or ("0." + "0" * c.digits if c.digits else "0"))
            for i, c in enumerate(columns)
            if c.kind != "text"
        }
        for row in sheet.rows:
            out = []
            for i, col in enumerate(columns):
                raw = column_value(col, row, i)
                value = safe_text(raw) if col.kind == "text" else _typed(col.kind, raw)
                if value is None or isinstance(value, str):
                    out.append(_text_cell(ws, value) if value else None)
                    continue
                cell = WriteOnlyCell(ws, value=value)
                cell.number_format = formats[i]
                out.append(cell)
            ws.append(out)
            total += 1
            if progress is not None and total % progress_every == 0:
                progress(total)
    if not wb.worksheets:
        wb.create_sheet(_tab_name(_("空表"), taken))
    wb.save(fh)
    return total


def workbook_bytes(sheets: Iterable[Sheet], *, now: datetime | None = None) -> bytes:
    """``sheets`` as the bytes of one .xlsx file."""
    buf = io.BytesIO()
    write_workbook(sheets, buf, now=now)
    return buf.getvalue()


def content_disposition(filename: str) -> str:
    """An ``attachment`` header value for a (Chinese) file name: an ASCII fallback plus the
    RFC 6266 ``filename*`` in UTF-8, which every current browser uses."""
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "_", filename).strip("_") or "export.xlsx"
    if not ascii_name.lower().endswith(".xlsx") and filename.lower().endswith(".xlsx"):
        ascii_name += ".xlsx"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


def xlsx_download(data: bytes, filename: str) -> HttpResponse:
    """An already-written .xlsx as a private, uncached download."""
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def xlsx_response(
    filename: str, sheets: Iterable[Sheet], *, now: datetime | None = None
) -> HttpResponse:
    """``sheets`` written and sent as a download named ``filename`` (no-store: exports hold
    personal data). Callers audit the export themselves."""
    return xlsx_download(workbook_bytes(sheets, now=now), filename)


# --- reading ----------------------------------------------------------------------------------


class SpreadsheetError(ValidationError):
    """The file as a whole cannot be imported (not an .xlsx, no header, too many rows)."""


@dataclass(frozen=True)
class Field:
    """One importable column, found by its Chinese header (or one of ``aliases``; compared
    without surrounding spaces and with full-width brackets folded)."""

    header: str
    key: str
    required: bool = False
    aliases: tuple[str, ...] = ()


@dataclass
class Row:
    """One data row: ``number`` is the row number the user sees in Excel; ``values`` holds
    every field's cell (None when the column is missing or the row is short); ``extra`` the
    non-empty cells beyond the header's last column."""

    number: int
    values: dict[str, Any]
    extra: list[Any] = field(default_factory=list)

    def text(self, key: str) -> str:
        """The cell as stripped text ('' for empty); numbers that are whole print without .0."""
        value = self.values.get(key)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()


@dataclass(frozen=True)
class RowError:
    number: int
    message: str

    def __str__(self) -> str:
        return _("行 %(n)s：%(message)s") % {"n": self.number, "message": self.message}


def _norm(header: Any) -> str:
    text = "" if header is None else str(header)
    return text.strip().replace("(", "（").replace(")", "）").replace(" ", "")


def max_import_rows() -> int:
    """``LIANXIN_IMPORT_MAX_ROWS``: the most data rows one import file may hold."""
    return int(getattr(settings, "LIANXIN_IMPORT_MAX_ROWS", 100_000))


class Table:
    """An opened sheet: iterate for :class:`Row` objects. ``total`` is the number of data rows
    counted ahead (the progress bar's 100 %), ``missing`` the optional fields without a column,
    ``errors`` the row-level problems the reader itself found (long rows with ``extra="error"``)."""

    def __init__(
        self,
        ws,
        *,
        header_index: int,
        header_width: int,
        index: dict[str, int],
        fields: Sequence[Field],
        total: int,
        extra: str,
    ) -> None:
        self._ws, self._header_index, self._extra = ws, header_index, extra
        self.index, self.fields, self.total = index, list(fields), total
        self.missing = [f for f in fields if f.key not in index]
        self.errors: list[RowError] = []
        self._width = max(header_width, max(index.values(), default=-1) + 1)

    def __iter__(self) -> Iterator[Row]:
        """The data rows below the header, blank rows skipped; the file is read once more."""
        source = self._ws.iter_rows(min_row=self._header_index + 2, values_only=True)
        header_width = self._width
        for number, cells in enumerate(source, start=self._header_index + 2):
            cells = tuple(cells or ())
            if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
                continue
            values = {key: (cells[i] if i < len(cells) else None) for key, i in self.index.items()}
            extra = [c for c in cells[header_width:] if c not in (None, "")]
            if extra and self._extra == "error":
                self.errors.append(
                    RowError(
                        number,
                        _("本行比表头多出 %(n)s 个单元格，已忽略多出的部分。") % {"n": len(extra)},
                    )
                )
            yield Row(number=number, values=values, extra=extra)


def _open(source: bytes | str | Path | IO[bytes]):
    from openpyxl import load_workbook

    if isinstance(source, bytes | bytearray):
        source = io.BytesIO(source)
    try:
        return load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not .xlsx
        raise SpreadsheetError(_("无法读取该文件，请上传 .xlsx 格式的表格。")) from exc


def read_table(
    source: bytes | str | Path | IO[bytes],
    fields: Sequence[Field],
    *,
    max_rows: int | None = None,
    extra: Literal["ignore", "error"] = "ignore",
    scan_rows: int = 5,
) -> Table:
    """Open the first sheet of an .xlsx (bytes, a path or a binary file) for import.

    The header is the row among the first ``scan_rows`` that names the most ``fields``; a
    required field without a column, an empty file, or more than ``max_rows`` data rows
    (default :func:`max_import_rows`) raise :class:`SpreadsheetError` in Chinese. Data rows are
    counted once up front (``table.total``) and then streamed, in read-only mode."""
    wb = _open(source)
    if not wb.worksheets:
        raise SpreadsheetError(_("表格是空的。"))
    ws = wb.worksheets[0]
    limit = max_import_rows() if max_rows is None else max_rows
    wanted: dict[str, str] = {}
    for f in fields:
        for name in (f.header, *f.aliases):
            wanted[_norm(name)] = f.key
    best: tuple[int, int, tuple] | None = None
    for i, cells in enumerate(ws.iter_rows(max_row=scan_rows, values_only=True)):
        hits = sum(1 for c in cells if _norm(c) in wanted)
        if hits and (best is None or hits > best[0]):
            best = (hits, i, tuple(cells))
    if best is None:
        raise SpreadsheetError(
            _("未找到表头：第一行（或标题下方）应是列名，如“%(name)s”。")
            % {"name": fields[0].header}
        )
    _hits, header_index, header = best
    index: dict[str, int] = {}
    for i, cell in enumerate(header):
        key = wanted.get(_norm(cell))
        if key is not None and key not in index:
            index[key] = i
    missing = [f.header for f in fields if f.required and f.key not in index]
    if missing:
        raise SpreadsheetError(_("表头缺少“%(names)s”列。") % {"names": "”“".join(missing)})
    total = 0
    for cells in ws.iter_rows(min_row=header_index + 2, values_only=True):
        if any(c is not None and not (isinstance(c, str) and not c.strip()) for c in cells):
            total += 1
            if total > limit:
                raise SpreadsheetError(
                    _("表格超过 %(limit)s 行数据，请拆分后分批导入。") % {"limit": limit}
                )
    width = len(header)
    while width and _norm(header[width - 1]) == "":
        width -= 1
    return Table(
        ws,
        header_index=header_index,
        header_width=width,
        index=index,
        fields=fields,
        total=total,
        extra=extra,
    )


# --- import reports ---------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do): counts, row errors, and a sample of
    the changes (``changes``: "行 N：…" lines) for the confirmation page. JSON-serialisable via
    :meth:`as_dict` so a background job can keep it."""

    dry_run: bool
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    max_changes: int = 200

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, number: int, message: str) -> None:
        self.errors.append((number, str(message)))

    def change(self, number: int, message: str) -> None:
        if len(self.changes) < self.max_changes:
            self.changes.append(str(RowError(number, message)))

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [list(e) for e in self.errors],
            "changes": list(self.changes),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportReport:
        report = cls(dry_run=bool(data.get("dry_run", True)))
        for key in ("total", "created", "updated", "unchanged"):
            setattr(report, key, int(data.get(key, 0)))
        report.errors = [(int(n), str(m)) for n, m in data.get("errors", [])]
        report.changes = [str(c) for c in data.get("changes", [])]
        return report


__all__ = [
    "FORMULA_TRIGGERS",
    "XLSX_CONTENT_TYPE",
    "Column",
    "Field",
    "ImportReport",
    "Row",
    "RowError",
    "Sheet",
    "SpreadsheetError",
    "Table",
    "column_value",
    "content_disposition",
    "max_import_rows",
    "read_table",
    "safe_text",
    "register_scope_labeller",
    "scope_label",
    "title_line",
    "workbook_bytes",
    "write_workbook",
    "xlsx_download",
    "xlsx_response",
]
