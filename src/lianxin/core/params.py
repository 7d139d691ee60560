"""Reading query parameters (and the few POST values outside forms): the one place they are parsed.

A query string is typed by anyone: a shared link cut short, a bookmark from last year, a
scanner. Nothing read through here can reach the database or date arithmetic out of range,
so no such value answers 500. The rule, one per kind and the same in every view:

* **Filters and navigation** (``?unit=``, ``?town=``, ``?status=``, ``?q=``, ``?week=``,
  ``?day=``, ``?month=``, ``?year=``, ``?page=``): a value that does not parse or lies out of
  range is **ignored, as if the parameter were missing** — the page opens with its default
  (all units, this week, this month …). ``get_*`` return ``None`` (or the default given).
* **Values a request cannot do without** (an id posted by a button outside a form, such as
  the member a 移出 button removes): missing or bad is **400** with the Chinese error page —
  ``require_id`` raises ``BadRequest``, which Django turns into ``core.views.bad_request``.
* **A NUL character** anywhere in the path, the query or a posted form is **400** too
  (``RejectNulMiddleware``, in settings): no field can hold one and PostgreSQL refuses it.
* **Integer URL kwargs** out of ``bigint`` range are 404 (Django's lookups find nothing; a
  view passing one to a foreign-key filter takes it through ``parse_id`` first).
* **Form fields** are validated by their form (``core.forms`` bounds every number field to its
  column); a bad value is an error next to the field, never 400 or 500.
* **The JSON API** types its parameters with ``Id``, ``Year``, ``Text``, ``Token`` and
  ``Moment`` from here and pages with ``lianxin.api.paging.PageParams`` (limit 1..200,
  offset 0..100000): out of range is django-ninja's 422 naming the field.

Kinds and bounds:

* ids: decimal digits only, 1 .. 2**63-1 (the range of a ``bigint`` primary key);
* dates: ISO ``YYYY-MM-DD`` from 2000-01-01 to 2100-12-31; weeks (``YYYY-MM-DD`` of any day
  in it, or ISO ``YYYY-Www``) give their Monday; months ``YYYY-MM`` (a full date gives its
  month) give their first day; years 2000 .. 2100. The span keeps every ±1 year of arithmetic
  a view does on them far inside what ``datetime`` can hold (years 1 .. 9999);
* choices: one of the values given, else the default;
* strings: stripped, NUL characters removed (PostgreSQL refuses them in text), cut to
  ``max_length`` characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Annotated, Any

from django.core.exceptions import BadRequest
from django.http import JsonResponse
from django.utils.translation import gettext as _
from pydantic import AfterValidator, Field

MAX_ID = 2**63 - 1
DATE_MIN = date(2000, 1, 1)
DATE_MAX = date(2100, 12, 31)
YEAR_MIN, YEAR_MAX = DATE_MIN.year, DATE_MAX.year
MAX_PAGE = 10_000  # page numbers of the HTML lists (a county's longest list has a few hundred)
MAX_OFFSET = 100_000  # API list offsets

_DIGITS = re.compile(r"^[0-9]{1,19}$")
_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
_WEEK = re.compile(r"^([0-9]{4})-W([0-9]{2})$")

# Types for the JSON API's parameters (django-ninja validates them: out of range is 422).
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Year = Annotated[int, Field(ge=2000, le=2100)]
Text = Annotated[
    str, Field(max_length=200), AfterValidator(lambda v: v.replace("\x00", "").strip())
]
Token = Annotated[
    str, Field(max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
]  # a client's idempotency token


def _within_bounds(value: datetime) -> datetime:
    if not DATE_MIN <= value.date() <= DATE_MAX:
        raise ValueError(f"must lie between {DATE_MIN} and {DATE_MAX}")
    return value


Moment = Annotated[datetime, AfterValidator(_within_bounds)]  # a date-time in the date bounds


def _raw(params: Mapping[str, Any], name: str) -> str:
    value = params.get(name)
    return value.strip() if isinstance(value, str) else ""


def parse_id(raw: Any) -> int | None:
    """A database id from text: digits only, 1 .. 2**63-1; anything else is ``None``."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw if 1 <= raw <= MAX_ID else None
    raw = raw.strip() if isinstance(raw, str) else ""
    if not _DIGITS.match(raw):
        return None
    value = int(raw)
    return value if 1 <= value <= MAX_ID else None


def get_id(params: Mapping[str, Any], name: str) -> int | None:
    """An optional id filter (``?unit=12``): bad or out of range is ignored (``None``)."""
    return parse_id(params.get(name))


def require_id(params: Mapping[str, Any], name: str) -> int:
    """An id the request cannot do without: missing or bad answers 400."""
    value = parse_id(params.get(name))
    if value is None:
        raise BadRequest(_("请求参数 %(name)s 无效。") % {"name": name})
    return value


def get_ids(params, name: str, *, limit: int = 200) -> list[int]:
    """Repeated ids (``?ids=1&ids=2``), the bad ones dropped, at most ``limit``, in order."""
    values = params.getlist(name) if hasattr(params, "getlist") else [params.get(name)]
    out = [v for v in (parse_id(x) for x in values) if v is not None]
    return list(dict.fromkeys(out))[:limit]


def get_int(
    params: Mapping[str, Any],
    name: str,
    *,
    min_value: int,
    max_value: int,
    default: int | None = None,
) -> int | None:
    """A bounded whole number (an optional minus sign, then digits); else ``default``."""
    raw = _raw(params, name)
    if not re.match(r"^-?[0-9]{1,19}$", raw):
        return default
    value = int(raw)
    return value if min_value <= value <= max_value else default


def get_page(params: Mapping[str, Any], name: str = "page") -> int:
    """A list page number, 1 .. MAX_PAGE; a bad one is page 1 (Django's paginator then clamps
    a number past the end to the last page)."""
    return get_int(params, name, min_value=1, max_value=MAX_PAGE, default=1)


def parse_date(raw: Any) -> date | None:
    """An ISO date (``YYYY-MM-DD``) from 2000-01-01 to 2100-12-31, else ``None``."""
    m = _DATE.match(raw.strip()) if isinstance(raw, str) else None
    if m is None:
        return None
    try:
        value = date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
    return value if DATE_MIN <= value <= DATE_MAX else None


def get_date(params: Mapping[str, Any], name: str, default: date | None = None) -> date | None:
    """An optional date (``?day=2026-12-15``): bad or out of range gives ``default``."""
    value = parse_date(params.get(name))
    return default if value is None else value


def parse_datetime(raw: Any) -> datetime | None:
    """An ISO date-time (``2026-12-15T09:00``; naive is local time) within the date bounds, aware;
    else ``None``."""
    from django.utils import timezone

    raw = raw.strip() if isinstance(raw, str) else ""
    if not raw or len(raw) > 40 or "\x00" in raw:
        return None
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        return None
    if not DATE_MIN <= value.date() <= DATE_MAX:
        return None
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def parse_week(raw: Any) -> date | None:
    """The Monday of a week given as any of its days (``2026-12-16``) or ISO (``2026-W51``)."""
    raw = raw.strip() if isinstance(raw, str) else ""
    m = _WEEK.match(raw)
    if m is not None:
        try:
            monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
        except ValueError:
            return None
        return monday if DATE_MIN <= monday <= DATE_MAX else None
    day = parse_date(raw)
    return None if day is None else day - timedelta(days=day.weekday())


def get_week(params: Mapping[str, Any], name: str, default: date | None = None) -> date | None:
    """The Monday of an optional ``?week=``; bad or out of range gives ``default``."""
    value = parse_week(params.get(name))
    return default if value is None else value


def parse_month(raw: Any) -> date | None:
    """The first day of a month given as ``YYYY-MM`` (a full date gives its month), else ``None``."""
    raw = raw.strip() if isinstance(raw, str) else ""
    m = _MONTH.match(raw[:7] if _DATE.match(raw) else raw)
    if m is None:
        return None
    year, month = int(m[1]), int(m[2])
    if not (1 <= month <= 12 and YEAR_MIN <= year <= YEAR_MAX):
        return None
    return date(year, month, 1)


def get_month(params: Mapping[str, Any], name: str, default: date | None = None) -> date | None:
    """The first day of an optional ``?month=YYYY-MM``; bad or out of range gives ``default``."""
    value = parse_month(params.get(name))
    return default if value is None else value


def month_text(params: Mapping[str, Any], name: str) -> str:
    """``YYYY-MM`` of a valid ``?month=``, else ``""`` (for selectors that take the text)."""
    return clean_month(params.get(name))


def clean_month(raw: Any) -> str:
    """``YYYY-MM`` of a valid month, else ``""``."""
    value = parse_month(raw)
    return value.strftime("%Y-%m") if value else ""


def parse_year(raw: Any) -> int | None:
    """A year 2000 .. 2100 (four digits), else ``None``."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw if YEAR_MIN <= raw <= YEAR_MAX else None
    raw = raw.strip() if isinstance(raw, str) else ""
    if not re.match(r"^[0-9]{4}$", raw):
        return None
    value = int(raw)
    return value if YEAR_MIN <= value <= YEAR_MAX else None


def get_year(params: Mapping[str, Any], name: str, default: int | None = None) -> int | None:
    """An optional ``?year=``; bad or out of range gives ``default``."""
    value = parse_year(params.get(name))
    return default if value is None else value


def get_choice(
    params: Mapping[str, Any], name: str, choices: Iterable[str], default: str = ""
) -> str:
    """One of ``choices`` (exact match), else ``default``."""
    raw = _raw(params, name)
    return raw if raw in set(choices) else default


def clean_text(raw: Any, *, max_length: int = 100) -> str:
    """Text stripped, without NUL characters, at most ``max_length`` characters."""
    if not isinstance(raw, str):
        return ""
    return raw.replace("\x00", "").strip()[:max_length].strip()


def get_str(
    params: Mapping[str, Any], name: str, *, max_length: int = 100, default: str = ""
) -> str:
    """A search box or code (``?q=``, ``?unit=620524100001``): stripped, NUL removed, cut to
    ``max_length``; empty gives ``default``."""
    return clean_text(params.get(name), max_length=max_length) or default


class RejectNulMiddleware:
    """A NUL character anywhere in the path, the query or a posted form answers 400.

    No field of this project can hold one (PostgreSQL refuses NUL in text: the query would
    fail with a 500), and no browser sends one from a form a person filled in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            "\x00" in request.path
            or _has_nul(request.GET)
            or (
                request.method == "POST"
                and request.content_type in _FORM_TYPES
                and _has_nul(request.POST)
            )
        ):
            if request.path[:5] == "/api/":
                # The JSON API answers in its one error body with a status every operation
                # declares (schemathesis found the HTML 400 page here).
                return JsonResponse(
                    {
                        "code": "validation_error",
                        "detail": str(_("请求中含有无效字符。")),
                        "errors": [],
                    },
                    status=422,
                    json_dumps_params={"ensure_ascii": False},
                )
            raise BadRequest(_("请求中含有无效字符。"))
        return self.get_response(request)


_FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


def _has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in data.lists())
