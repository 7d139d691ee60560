"""What an operation of the JSON API declares besides its success: the error body and statuses.

Every response an operation gives must match what the OpenAPI document says it gives
(schemathesis checks that), so each operation lists its error statuses with ``errors(...)``:

* 401 — no session and no valid token (django-ninja's auth);
* 403 — a named permission or an object rule refuses (``lianxin.api.guards.require_perm``, or
  ``PermissionDenied`` from a service);
* 404 — the object is outside the caller's scope or does not exist (the scoped selector);
* 409 — a service refuses the step in the object's present state
  (``lianxin.api.guards.service_refusal_as_409``);
* 422 — a parameter or the body does not validate;
* 429 — an integration token past its rate limit.

A body that must be read only after the object was found in the caller's scope (so that a
sibling subtree's object answers 404 whatever is posted, and never a 422 that tells it exists)
is read with ``read_body`` and documented with ``body_doc``.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.http import HttpRequest
from django.http.request import RawPostDataException
from ninja import Schema
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import Field
from pydantic import ValidationError as PydanticValidationError


class FieldErrorOut(Schema):
    """One field of a 422 (``lianxin.api.errors.field_errors``); the submitted value never."""

    loc: list[str | int] = Field(description="出错的位置（body / query / path 与字段名）")
    msg: str = Field(description="说明")
    type: str = Field(description="错误类型")


class ErrorOut(Schema):
    """The one error body (``lianxin.api.errors``): a machine-readable ``code``, a ``detail`` in
    Chinese, and for a 422 the fields that failed (``errors``)."""

    code: str = Field(description="机器可读的错误代码，如 not_found、conflict、validation_error")
    detail: str = Field(description="错误说明（中文）")
    errors: list[FieldErrorOut] | None = Field(None, description="校验失败的字段（仅 422）")


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """``{status: ErrorOut}`` for the statuses given, to merge into an operation's ``response``."""
    return dict.fromkeys(statuses, ErrorOut)


# 401 and 429 (a token past its rate limit) may answer any operation.
LIST_ERRORS = errors(401, 403, 422, 429)  # a scoped list: refused, or a bad page/filter
READ_ERRORS = errors(401, 403, 404, 422, 429)  # one object looked up in the caller's scope
WRITE_ERRORS = errors(401, 403, 404, 409, 422, 429)  # a step on an object through its service

S = TypeVar("S", bound=Schema)


def body_doc(schema: type[Schema], *, required: bool = True) -> dict[str, Any]:
    """``openapi_extra`` documenting a JSON body that the operation reads with ``read_body``."""
    return {
        "requestBody": {
            "required": required,
            "content": {"application/json": {"schema": schema.model_json_schema()}},
        }
    }


def read_body(request: HttpRequest, schema: type[S]) -> S:
    """The JSON body as ``schema`` (an empty body is ``{}``); invalid is the same 422 as a
    parameter django-ninja validates itself (its ``ValidationError``, located under "body")."""
    try:
        raw = request.body
    except RawPostDataException:  # a multipart form already read: not the JSON asked for
        raw = b"\x00"
    try:
        return schema.model_validate_json(raw or b"{}")
    except PydanticValidationError as exc:
        errs = []
        for e in exc.errors(include_url=False, include_input=False, include_context=False):
            errs.append({**e, "loc": ("body", *e["loc"])})
        raise NinjaValidationError(errs) from exc
