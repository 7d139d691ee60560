"""The one error body of the JSON API: ``{"code": "<machine code>", "detail": "<中文说明>"}``.

Rule (issue 14, bullet 1: consistent error bodies in Chinese with machine-readable codes):
every 4xx and 5xx the API answers has that shape, whatever raised it —

* 401 ``unauthorized``: no session and no valid token (django-ninja's ``AuthenticationError``);
* 403 ``permission_denied``: ``PermissionDenied`` (``guards.require_perm``, a service) or a CSRF
  refusal; a service's own Chinese message is kept, a bare permission name is not shown;
* 404 ``not_found``: ``Http404`` or a scoped selector's ``DoesNotExist`` (outside the caller's
  scope reads the same as absent);
* 409 ``conflict``: a service's refusal (``guards.service_refusal_as_409``) with its message;
* 422 ``validation_error``: a parameter or the body, ``detail`` in Chinese and ``errors`` the
  fields (``loc``, ``msg``, ``type``; the submitted value is never echoed);
* 429 ``rate_limited``: a token past its limit, with ``Retry-After``;
* 500 ``server_error``: anything unexpected (logged, and Django's ``got_request_exception`` is
  sent so the test client and error reporting still see it).

An ``HttpError`` subclass may carry its own ``code`` (``integrations.auth.RateLimited``) and
``retry_after``.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.signals import got_request_exception
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

logger = logging.getLogger("lianxin.api")

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "server_error",
}


def default_detail(status: int) -> str:
    """The Chinese sentence for a status when the raiser gave none worth showing."""
    messages = {
        400: _("请求格式有误"),
        401: _("未登录，或令牌无效、已过期、已撤销"),
        403: _("没有执行此操作的权限"),
        404: _("对象不存在，或不在您的权限范围内"),
        405: _("不支持该请求方法"),
        409: _("当前状态下不能执行此操作"),
        413: _("请求内容过大"),
        415: _("不支持的内容类型"),
        422: _("请求参数校验失败"),
        429: _("调用过于频繁，请稍后再试"),
        500: _("服务器内部错误，请稍后再试"),
    }
    return messages.get(status, _("请求失败"))


# pydantic's error types in Chinese; an unknown type keeps pydantic's own message.
_FIELD_MESSAGES = {
    "missing": "必填",
    "string_too_short": "过短",
    "string_too_long": "过长",
    "string_type": "应为文本",
    "string_pattern_mismatch": "格式不符",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "bool_parsing": "应为是/否",
    "greater_than": "过小",
    "greater_than_equal": "过小",
    "less_than": "过大",
    "less_than_equal": "过大",
    "datetime_parsing": "应为日期时间",
    "datetime_from_date_parsing": "应为日期时间",
    "date_parsing": "应为日期",
    "date_from_datetime_parsing": "应为日期",
    "enum": "不是可选的值",
    "literal_error": "不是可选的值",
    "json_invalid": "不是有效的 JSON",
    "model_attributes_type": "应为对象",
    "dict_type": "应为对象",
    "list_type": "应为列表",
    "too_long": "项数过多",
    "too_short": "项数过少",
    "value_error": "取值无效",
    "uuid_parsing": "应为 UUID",
}


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def error_body(status: int, detail: str = "", *, code: str = "", **extra: Any) -> dict[str, Any]:
    return {
        "code": code or CODES.get(status, "error"),
        "detail": detail or default_detail(status),
        **extra,
    }


def field_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``loc``/``msg``/``type`` of each error; a Chinese ``msg`` for the common types, and never
    the submitted ``input`` (it may be a phone or ID number)."""
    result = []
    for e in errors:
        kind = str(e.get("type", ""))
        msg = str(e.get("msg", ""))
        if kind == "value_error" and _has_cjk(msg):
            text = msg.removeprefix("Value error, ")
        else:
            text = _FIELD_MESSAGES.get(kind, msg)
        result.append(
            {
                "loc": [str(p) if not isinstance(p, int) else p for p in e.get("loc", ())],
                "msg": text,
                "type": kind,
            }
        )
    return result


def _summary(errors: list[dict[str, Any]]) -> str:
    parts = []
    for e in errors[:5]:
        loc = [str(p) for p in e["loc"] if p not in ("body", "query", "path", "form", "payload")]
        parts.append(f"{'.'.join(loc) or _('请求')} {e['msg']}")
    more = "" if len(errors) <= 5 else _("等 %(n)s 项") % {"n": len(errors)}
    return _("请求参数校验失败：%(fields)s%(more)s") % {"fields": "；".join(parts), "more": more}


def install(api: NinjaAPI) -> None:
    """Register the handlers on ``api`` (replacing django-ninja's ``{"detail": ...}`` ones)."""

    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, body, status=status)

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        status = exc.status_code
        message = str(exc.message or "")
        code = getattr(exc, "code", "") or CODES.get(status, "error")
        if status == 403 and "CSRF" in message:
            code = "csrf_failed"
        if isinstance(exc, AuthenticationError) or not _has_cjk(message):
            message = ""  # django-ninja's English ("Unauthorized", "CSRF check Failed")
        response = respond(request, status, error_body(status, message, code=code))
        retry_after = getattr(exc, "retry_after", None) or getattr(exc, "wait", None)
        if status == 429 and retry_after:
            response["Retry-After"] = str(int(retry_after))
        return response

    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = field_errors(list(exc.errors))
        return respond(request, 422, error_body(422, _summary(errors), errors=errors))

    def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return respond(request, 404, error_body(404))

    def on_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        message = str(exc.args[0]) if exc.args else ""
        return respond(request, 403, error_body(403, message if _has_cjk(message) else ""))

    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s", request.path, exc_info=exc)
        got_request_exception.send(sender=None, request=request)
        return respond(request, 500, error_body(500))

    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(ObjectDoesNotExist, on_not_found)
    api.add_exception_handler(PermissionDenied, on_denied)
    api.add_exception_handler(Exception, on_unexpected)
