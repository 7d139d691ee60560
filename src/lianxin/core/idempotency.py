"""One row per submitted form: the shared create-once of the token-carrying create forms.

A create form carries a hidden ``form_token`` (``core.forms.FormTokenField``); the model keeps
it in a unique ``form_token`` column. The same POST twice — a double tap, a retry on a slow
line, the browser's resubmit — finds the first row and returns it; concurrent identical
POSTs race on the unique constraint and the losers return the winner's row (PostgreSQL
blocks the second insert until the first commits, then reports the violation).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from lianxin.core.forms import FORM_TOKEN_MAX, clean_form_token

M = TypeVar("M", bound=models.Model)


def create_once(
    model: type[M], *, form_token: str | None, create: Callable[[str | None], M]
) -> tuple[M, bool]:
    """``create(token)`` unless a ``model`` row already carries ``form_token``.

    Returns ``(row, created)``. A token longer than the column or not of ``[A-Za-z0-9_-]``
    raises ``ValidationError`` before anything is written (SQLite would store it whole).
    ``create`` must store the token it is given in ``form_token``. A unique violation, or a
    ValidationError raised because the winner's row already holds something this one needs
    (the same ID number, the same room slot), returns the winner's row when one carries the
    token; otherwise the error stands.

    Rule: one row per form token. Why: a double click, a retried request on a bad mobile link
    or a resubmitted form must not create a second request, booking or sign-up.
    """
    token = clean_form_token(form_token, max_length=FORM_TOKEN_MAX) or None
    if token is None:
        return create(None), True
    existing = model._default_manager.filter(form_token=token).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return create(token), True
    except (IntegrityError, ValidationError):
        existing = model._default_manager.filter(form_token=token).first()
        if existing is None:
            raise
        return existing, False
