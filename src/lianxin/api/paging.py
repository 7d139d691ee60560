"""The one pagination of the JSON API's lists: ``?limit=1..200&offset=0..100000``.

Every list endpoint takes ``page: Query[PageParams]``; a limit or offset out of range is
django-ninja's 422 naming the parameter (before, ``offset=-1`` was a 500 and a huge offset
overflowed the database's OFFSET).
"""

from __future__ import annotations

from ninja import Field, Schema

from lianxin.core.params import MAX_OFFSET

MAX_LIMIT = 200


class PageParams(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description="每页条数（1–200）")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="跳过的条数（0–100000）")

    def slice(self, rows) -> list:
        """The page of a queryset (or list) as a list."""
        return list(rows[self.offset : self.offset + self.limit])
