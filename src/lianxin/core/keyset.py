"""Lists that cost the same at every level: keyset pages and bounded counts.

An OFFSET page reads and throws away every row before it, and an exact COUNT reads every row
of the scope: at a county or the province both grow with the data. Here a page starts from
the sort key of the row before it (an opaque, signed cursor carrying the key values and the
id), so it reads ``per_page + 1`` rows whatever its depth, and a count stops at a bound
(``LIANXIN_LIST_COUNT_BOUND``, shown as "10,000+" / "1万+").

Rules enforced here: a cursor is only ever read back through its signature and its own sort
(a forged, garbled or stale one gives the first page, never an error); the order always ends
with a unique field (the id) so ties on the sort key are broken the same way on every page and
no row is skipped or repeated; a nullable key sorts its NULLs last (ascending) / first
(descending) on every database, so the key comparison and the order agree.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connections
from django.db.models import F, Q, QuerySet
from django.utils.translation import get_language

from lianxin.core import params

DEFAULT_COUNT_BOUND = 10_000
_SALT = "lianxin.keyset"


def count_bound() -> int:
    """How far a list's count is taken before it is shown as "N+" (a setting, small in tests)."""
    return int(getattr(settings, "LIANXIN_LIST_COUNT_BOUND", DEFAULT_COUNT_BOUND))


class BoundedCount(int):
    """A count taken up to a bound: the exact number, or the bound with ``capped`` set.

    It is an int (templates compare and pluralise it as one) whose text is "10,000+" (or
    "1万+" in Chinese, where large numbers are read in 万) when the bound was reached.
    """

    capped: bool

    def __new__(cls, value: int, *, capped: bool = False) -> BoundedCount:
        obj = super().__new__(cls, value)
        obj.capped = capped
        return obj

    @classmethod
    def of(cls, found: int, bound: int) -> BoundedCount:
        """``found`` rows counted over at most ``bound + 1``: over the bound is "bound+"."""
        return cls(bound, capped=True) if found > bound else cls(found)

    def __str__(self) -> str:
        n = int(self)
        if not self.capped:
            return str(n)
        if (get_language() or "").startswith("zh") and n >= 10_000 and n % 10_000 == 0:
            return f"{n // 10_000}万+"
        return f"{n:,}+"

    def __format__(self, spec: str) -> str:
        return str(self) if not spec else int(self).__format__(spec)

    def __repr__(self) -> str:
        return f"BoundedCount({int(self)}, capped={self.capped})"


def bounded_sql(qs: QuerySet, bound: int) -> tuple[str, tuple]:
    """The SQL of ``SELECT COUNT(*)`` over at most ``bound + 1`` of ``qs``'s rows (no order)."""
    inner = qs.order_by().values("pk")[: bound + 1]
    sql, params = inner.query.sql_with_params()
    # Django compiled ``sql`` with its values left as parameters: nothing here is user text.
    return f"SELECT COUNT(*) FROM ({sql}) _lx_b", tuple(params)  # noqa: S608


def bounded_counts(
    queries: Mapping[str, QuerySet], bound: int | None = None
) -> dict[str, BoundedCount]:
    """Several bounded counts in one query: ``SELECT (SELECT COUNT(*) FROM (… LIMIT n)), …``.

    Each count reads at most ``bound + 1`` index entries or rows, whatever the scope's size.
    """
    if not queries:
        return {}
    bound = count_bound() if bound is None else bound
    parts: list[str] = []
    params: list[Any] = []
    for sql, p in (bounded_sql(qs, bound) for qs in queries.values()):
        parts.append(f"({sql})")
        params.extend(p)
    alias = next(iter(queries.values())).db
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return {k: BoundedCount.of(int(v or 0), bound) for k, v in zip(queries, row, strict=True)}


# --- keyset pages ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Key:
    name: str
    desc: bool
    nullable: bool

    def order(self, flip: bool):
        desc = self.desc != flip
        expr = F(self.name)
        if not self.nullable:
            return expr.desc() if desc else expr.asc()
        # NULLs after every value ascending, before them descending: one total order.
        return expr.desc(nulls_first=True) if desc else expr.asc(nulls_last=True)

    def after(self, value: Any, flip: bool) -> Q:
        """Rows strictly after ``value`` on this key, in the (possibly flipped) order."""
        desc = self.desc != flip
        if self.nullable and value is None:
            # NULLs come last ascending (nothing after them), first descending.
            return Q(**{f"{self.name}__isnull": False}) if desc else Q(pk__in=[])
        q = Q(**{f"{self.name}__{'lt' if desc else 'gt'}": value})
        if self.nullable and not desc:
            q |= Q(**{f"{self.name}__isnull": True})
        return q

    def equal(self, value: Any) -> Q:
        if value is None:
            return Q(**{f"{self.name}__isnull": True})
        return Q(**{self.name: value})


def _field(model, name: str):
    """The model field a key names, through relations (``unit__path``); None if there is none."""
    if name == "pk":
        return model._meta.pk
    *path, last = name.split("__")
    try:
        for part in path:
            model = model._meta.get_field(part).related_model
        return model._meta.get_field(last)
    except (FieldDoesNotExist, AttributeError):
        return None


def _value(obj, name: str) -> Any:
    """A row's value of a key, through relations (``unit__path``: ``obj.unit.path``)."""
    for part in name.split("__"):
        obj = None if obj is None else getattr(obj, part)
    return obj


def _keys(qs: QuerySet, order: Sequence[str]) -> list[_Key]:
    keys = []
    for name in order:
        bare = name.lstrip("-")
        f = _field(qs.model, bare)
        if f is None:
            raise ValueError(f"no field {bare!r} to page by")
        # a key through a nullable relation may be NULL even on a NOT NULL column
        via = bare.split("__")[:-1]
        nullable = bool(f.null) or any(
            _field(qs.model, "__".join(via[: i + 1])).null for i in range(len(via))
        )
        keys.append(_Key(bare, name.startswith("-"), nullable))
    if keys[-1].name not in ("id", "pk"):
        raise ValueError("a keyset order must end with the id")
    return keys


def _after_q(keys: list[_Key], values: list, flip: bool) -> Q:
    """Lexicographic "after": after on the first key, or equal on it and after on the rest.

    The first key is also bounded on its own (``created_at <= v``) so PostgreSQL starts its
    index scan at the cursor instead of filtering from the top of the index.
    """
    q = keys[-1].after(values[-1], flip)
    for key, value in zip(reversed(keys[:-1]), reversed(values[:-1]), strict=True):
        q = key.after(value, flip) | (key.equal(value) & q)
    first, v = keys[0], values[0]
    if v is not None and not first.nullable:
        desc = first.desc != flip
        q &= Q(**{f"{first.name}__{'lte' if desc else 'gte'}": v})
    return q


@dataclass
class KeysetPage(Sequence):
    """One page of a keyset list: its rows, and the cursors to the pages around it."""

    object_list: list
    number: int = 1
    has_next: bool = False
    has_previous: bool = False
    next_cursor: str = ""
    previous_cursor: str = ""

    def __iter__(self) -> Iterator:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def __getitem__(self, i):  # type: ignore[override]
        return self.object_list[i]


def _text(value: Any) -> Any:
    """A key value as JSON: dates and times in ISO form (read back by the field's to_python)."""
    return value.isoformat() if hasattr(value, "isoformat") else value


def _encode(tag: str, direction: str, number: int, values: list) -> str:
    return signing.dumps([tag, direction, number, [_text(v) for v in values]], salt=_SALT)


def _decode(cursor: str, tag: str, keys: list[_Key], qs) -> tuple[str, int, list] | None:
    """A cursor read back: (direction, page number, key values), or None if it is not ours."""
    if not cursor or len(cursor) > 1000:
        return None
    try:
        got_tag, direction, number, raw = signing.loads(cursor, salt=_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if (
        got_tag != tag
        or direction not in ("n", "p")
        or not isinstance(number, int)
        or not isinstance(raw, list)
        or len(raw) != len(keys)
    ):
        return None
    values: list[Any] = []
    try:
        for key, text in zip(keys, raw, strict=True):
            f = _field(qs.model, key.name)
            if text is None:
                if not key.nullable:
                    return None
                values.append(None)
            else:
                values.append(f.to_python(text))
    except (ValidationError, ValueError, TypeError):
        return None
    return direction, max(1, number), values


def keyset_page(
    qs: QuerySet, *, order: Sequence[str], cursor: str = "", per_page: int, tag: str
) -> KeysetPage:
    """The page of ``qs`` in ``order`` (ending with the id) that ``cursor`` points at.

    One query of ``per_page + 1`` rows whatever the page's depth. ``tag`` names the list and
    its sort: a cursor made under another tag (another sort, another list) gives the first page.
    """
    keys = _keys(qs, order)
    names = [k.name for k in keys]
    decoded = _decode(cursor, tag, keys, qs)

    def values_of(obj) -> list:
        return [_value(obj, n) for n in names]

    if decoded is None:
        rows = list(qs.order_by(*[k.order(False) for k in keys])[: per_page + 1])
        page = KeysetPage(rows[:per_page], number=1, has_next=len(rows) > per_page)
    else:
        direction, number, values = decoded
        flip = direction == "p"
        ordered = qs.filter(_after_q(keys, values, flip)).order_by(*[k.order(flip) for k in keys])
        rows = list(ordered[: per_page + 1])
        more = len(rows) > per_page
        rows = rows[:per_page]
        if (flip and (len(rows) < per_page or not more)) or not rows:
            # Back at (or past) the start, or past the end: the first page, as a visit shows it.
            return keyset_page(qs, order=order, per_page=per_page, tag=tag)
        if flip:
            rows.reverse()
            page = KeysetPage(rows, number=max(2, number - 1), has_next=True, has_previous=True)
        else:
            page = KeysetPage(rows, number=number + 1, has_next=more, has_previous=True)
    if page.has_next:
        page.next_cursor = _encode(tag, "n", page.number, values_of(page.object_list[-1]))
    if page.has_previous:
        page.previous_cursor = _encode(tag, "p", page.number, values_of(page.object_list[0]))
    return page


def request_keyset_page(
    request, qs: QuerySet, *, order: Sequence[str], tag: str, per_page: int | None = None
) -> KeysetPage:
    """``keyset_page`` at the request's ``cursor`` parameter (the pager's links carry it), with
    the site's page size unless ``per_page`` is given: what every keyset list view does."""
    return keyset_page(
        qs,
        order=order,
        cursor=params.get_str(request.GET, "cursor", max_length=1000),
        per_page=per_page or settings.LIANXIN_PAGE_SIZE,
        tag=tag,
    )
