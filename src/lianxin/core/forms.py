"""Putting a service's ValidationError back on the form that collected the input."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def add_validation_error(
    form: forms.BaseForm, exc: ValidationError, *, rename: dict[str, str] | None = None
) -> None:
    """Field errors go on their field (``rename`` maps service names to form names), the rest
    on the form, so the user sees the message next to what they typed and keeps their input."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for name, errors in exc.message_dict.items():
        name = (rename or {}).get(name, name)
        form.add_error(name if name in form.fields else None, errors)
