"""The POST-then-redirect table of the staff pages (the tree on screen, a grid's staff).

A page's small forms each post one action; the view looks it up in the page's table of
``PostAction`` rows and ``post_action`` runs it: build the service's keyword arguments from the
POST (a builder may use a form, and raises ``ValidationError`` with the page's message when a
field cannot be resolved), call the service as the signed-in user, flash the success message or
the refusal, and redirect. Who may act is the service's business, never the table's (the same
shape as ``cases.views.actions``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.functional import Promise

KwargsBuilder = Callable[[HttpRequest, Any], dict[str, Any]]


@dataclass(frozen=True)
class PostAction:
    """One step: ``service(actor=request.user, **kwargs(request, obj))`` (plus ``request=`` when
    ``with_request``); ``ok`` is the success message, or a function of ``(obj, result)``;
    ``redirect`` gives the URL to go back to; ``each_error``: one message per refusal line
    (else one message, joined)."""

    service: Callable[..., Any]
    kwargs: KwargsBuilder
    ok: str | Promise | Callable[[Any, Any], str]
    redirect: Callable[[Any], str]
    with_request: bool = False
    each_error: bool = False


def no_kwargs(request: HttpRequest, obj: Any) -> dict[str, Any]:
    return {}


def post_action(
    request: HttpRequest, table: Mapping[str, PostAction], name: str, obj: Any, *, fallback: str
) -> HttpResponse:
    """Run the table's action ``name`` on ``obj``; an unknown name just goes to ``fallback``."""
    step = table.get(name)
    if step is None:
        return redirect(fallback)
    try:
        extra = {"request": request} if step.with_request else {}
        result = step.service(actor=request.user, **step.kwargs(request, obj), **extra)
    except ValidationError as exc:
        if step.each_error:
            for m in exc.messages:
                messages.error(request, m)
        else:
            messages.error(request, " ".join(exc.messages))
    else:
        text = step.ok(obj, result) if callable(step.ok) else str(step.ok)
        if text:
            messages.success(request, text)
    return redirect(step.redirect(obj))
