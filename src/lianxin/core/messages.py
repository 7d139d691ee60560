"""A write service's answer on the page as flash messages (the views of events, volunteers and
brands post a form, call one service and redirect)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def error_messages(request: HttpRequest, exc: ValidationError) -> None:
    """Every message of a service's refusal, one error message each."""
    for m in exc.messages:
        messages.error(request, m)


def attempt(request: HttpRequest, fn: Callable[..., Any], ok: str = "", **kwargs: Any) -> bool:
    """Call write service ``fn`` as the signed-in user; its ValidationError becomes error
    messages, success the ``ok`` message. True when it went through."""
    try:
        fn(actor=request.user, request=request, **kwargs)
    except ValidationError as exc:
        error_messages(request, exc)
        return False
    if ok:
        messages.success(request, ok)
    return True
