"""Form bases every form uses, the shared form token, and putting a service's errors on a form.

``Form`` and ``ModelForm`` (``BoundedFieldsMixin``) keep what a form accepts inside what the
database and ``datetime`` can hold, so an absurd value is an error next to its field rather
than an overflow (500) when it is saved or computed with:

* every integer field gets a maximum (and minimum) matching its column — the model field of
  the same name (a ModelForm's own, or ``bounded_model`` for a plain form) — or, with no
  column known, PostgreSQL ``integer``'s range, which fits every integer column;
* every decimal field without ``max_digits`` takes its column's digits (else 15, 2 places);
* every date and date-time field accepts 1900-01-01 .. 2100-12-31, and its HTML date or
  datetime-local input is rendered with an ISO value whatever the locale.

``FormTokenField`` is the hidden one-submission token of the create forms (the same POST
twice makes one row): at most ``max_length`` characters of ``[A-Za-z0-9_-]``, validated here
so a token longer than its column is refused with a message on SQLite too (SQLite does not
enforce ``varchar`` lengths; PostgreSQL would fail the insert).
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.core.validators import (
    DecimalValidator,
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.translation import gettext_lazy as _

FORM_DATE_MIN = date(1900, 1, 1)
FORM_DATE_MAX = date(2100, 12, 31)
INT_RANGES = BaseDatabaseOperations.integer_field_ranges  # per model field type, as PostgreSQL
DEFAULT_INT_RANGE = INT_RANGES["IntegerField"]
FORM_TOKEN_MAX = 64  # the token columns are varchar(64)


def _column(model, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _bound_integer(field: forms.IntegerField, column) -> None:
    lo, hi = DEFAULT_INT_RANGE
    if isinstance(column, models.IntegerField):
        lo, hi = INT_RANGES.get(column.get_internal_type(), DEFAULT_INT_RANGE)
    if field.max_value is None or field.max_value > hi:
        field.max_value = hi
        field.validators.append(
            MaxValueValidator(hi, message=_("请输入不大于 %(limit_value)s 的数。"))
        )
        field.widget.attrs["max"] = hi
    if field.min_value is None or field.min_value < lo:
        field.min_value = lo
        field.validators.append(
            MinValueValidator(lo, message=_("请输入不小于 %(limit_value)s 的数。"))
        )


def _bound_decimal(field: forms.DecimalField, column) -> None:
    if field.max_digits is not None:
        return
    digits, places = 15, 2
    if isinstance(column, models.DecimalField):
        digits, places = column.max_digits, column.decimal_places
    if field.decimal_places is None:
        field.decimal_places = places
    field.max_digits = digits
    field.validators.append(DecimalValidator(digits, field.decimal_places))


def _check_date(value) -> None:
    day = value.date() if isinstance(value, datetime) else value
    if isinstance(day, date) and not FORM_DATE_MIN <= day <= FORM_DATE_MAX:
        raise ValidationError(
            _("请输入 %(min)s 至 %(max)s 之间的日期。"),
            code="date_range",
            params={"min": FORM_DATE_MIN.isoformat(), "max": FORM_DATE_MAX.isoformat()},
        )


ISO_DATE = "%Y-%m-%d"
ISO_DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def iso_input_format(widget: forms.Widget) -> None:
    """An HTML date / datetime-local input only takes ISO values (``2026-12-02``,
    ``2026-12-02T09:00``): the locale's format (``2026/12/02`` in the Chinese UI) leaves it
    empty, so an edit form would not show the stored date. Forced here for every such widget."""
    kind = widget.attrs.get("type") or getattr(widget, "input_type", "")
    if isinstance(widget, forms.DateTimeInput) and kind == "datetime-local":
        widget.format = ISO_DATETIME_LOCAL
    elif isinstance(widget, forms.DateInput) and kind == "date":
        widget.format = ISO_DATE


def bound_field(field: forms.Field, column=None) -> None:
    """Give one form field the bounds described in the module docstring (idempotent enough:
    a field already inside its bounds is left as it is)."""
    if isinstance(field, forms.DecimalField):
        _bound_decimal(field, column)
    elif isinstance(field, forms.FloatField):
        return
    elif isinstance(field, forms.IntegerField):
        _bound_integer(field, column)
    elif (
        isinstance(field, forms.DateField | forms.DateTimeField)
        and _check_date not in field.validators
    ):
        field.validators.append(_check_date)
    if isinstance(field, forms.DateField | forms.DateTimeField):
        iso_input_format(field.widget)


class BoundedFieldsMixin:
    """Bounds every number and date field of the form when it is made (see the module docstring)."""

    bounded_model: type[models.Model] | None = (
        None  # a plain form's fields named after this model's
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        meta = getattr(self, "_meta", None)
        model = getattr(meta, "model", None) or self.bounded_model
        for name, field in self.fields.items():
            bound_field(field, _column(model, name))

    def full_clean(self):
        """A hidden field's error (a stale form token) is shown with the form's own errors:
        templates print errors next to visible fields only."""
        super().full_clean()
        if not self.is_bound or self._errors is None:
            return
        for bf in self.hidden_fields():
            for message in self._errors.get(bf.name, []):
                top = self._errors.setdefault(
                    NON_FIELD_ERRORS, self.error_class(error_class="nonfield")
                )
                if message not in top:
                    top.append(message)


class Form(BoundedFieldsMixin, forms.Form):
    pass


class ModelForm(BoundedFieldsMixin, forms.ModelForm):
    pass


_TOKEN = re.compile(r"^[A-Za-z0-9_-]+$")


def fresh_form_token() -> str:
    """A new token for a create form's hidden field (32 hex characters)."""
    return uuid.uuid4().hex


class FormTokenField(forms.CharField):
    """The hidden one-submission token: ``[A-Za-z0-9_-]``, at most ``max_length`` characters."""

    default_error_messages = {"invalid": _("表单已失效，请刷新页面后重新填写提交。")}

    def __init__(self, *, max_length: int = FORM_TOKEN_MAX, required: bool = False, **kwargs):
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(max_length=max_length, required=required, strip=True, **kwargs)
        self.validators.append(RegexValidator(_TOKEN, message=self.error_messages["invalid"]))
        # Too long is the same stale/forged form to the user: one message, not a length count.
        self.error_messages["max_length"] = self.error_messages["invalid"]

    def clean(self, value):
        try:
            return super().clean(value)
        except ValidationError as exc:
            if value in self.empty_values:
                raise  # required and missing
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc


def clean_form_token(value: str | None, *, max_length: int = FORM_TOKEN_MAX) -> str:
    """A service's check of a token it stores: ``""`` when none; a malformed or over-long one
    raises ``ValidationError`` (the form already refuses those; this guards other callers)."""
    value = (value or "").strip()
    if value and (len(value) > max_length or not _TOKEN.match(value)):
        raise ValidationError(FormTokenField.default_error_messages["invalid"], code="invalid")
    return value


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
