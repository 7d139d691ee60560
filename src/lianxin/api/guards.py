"""What every app's ``api.py`` checked by hand: the named permission, and a service's refusal.

``require_perm(request, "wishes.claim_wish")`` replaces the per-module ``_need``/``_require``
helpers; ``with service_refusal_as_409(): services.x(...)`` replaces the
``except ValidationError: raise HttpError(409, ...)`` blocks. Scoping stays in the selectors:
an object outside the user's scope is the selector's 404, as on the pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import HttpRequest
from ninja.errors import HttpError


def require_perm(request: HttpRequest, perm: str, obj: Model | None = None) -> None:
    """Raise ``PermissionDenied`` (the 403 the per-module helpers raised) unless the user holds
    ``perm`` (on ``obj`` when given: the app's object rule)."""
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied(perm)


@contextmanager
def service_refusal_as_409(*, all_messages: bool = False) -> Iterator[None]:
    """A service's ``ValidationError`` inside the block answers 409 with its first message, or
    with all of them joined by "；" (``all_messages=True``, what the room booking API says)."""
    try:
        yield
    except ValidationError as exc:
        text = "；".join(exc.messages) if all_messages else exc.messages[0]
        raise HttpError(409, text) from exc
