"""The JSON API (OpenAPI at /api/v1/openapi.json, Swagger UI at /api/docs -> /api/v1/docs, served
from the assets django-ninja ships: ``ninja`` is an installed app, so its templates and static
files are used instead of its CDN page). Each app contributes ``lianxin.<app>.api.router``.

Authentication: an integration token (``LIANXIN_API_AUTH``, the ``TokenAuth`` security scheme),
else the logged-in session. Every error answers ``{"code", "detail"}`` (``lianxin.api.errors``).

A router is mounted at ``/<app label>/`` unless its module sets ``API_PREFIX``: an app promoted
out of another (rooms out of venues) keeps the paths its integrations already call.
"""

from __future__ import annotations

import importlib

from django.apps import apps
from django.conf import settings
from django.utils.module_loading import import_string
from ninja import NinjaAPI
from ninja.renderers import JSONRenderer
from ninja.security import SessionAuth

from lianxin.api import errors


class ChineseJSONRenderer(JSONRenderer):
    """Chinese stays readable in responses (and in any scan for leaked text)."""

    json_dumps_params = {"ensure_ascii": False}


class LianxinSessionAuth(SessionAuth):
    """The logged-in session, CSRF-checked when there is a session cookie to check; a call that
    carries no session cookie (a platform with a token) is no session, and the next scheme is
    asked instead of answering django-ninja's "CSRF check Failed"."""

    def _get_key(self, request):
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        return super()._get_key(request)


def api_auth() -> list:
    """Token schemes first (``LIANXIN_API_AUTH``, dotted paths: lianxin.api sits below the
    integrations app that provides them), then the session."""
    schemes = [import_string(path)() for path in getattr(settings, "LIANXIN_API_AUTH", [])]
    return [*schemes, LianxinSessionAuth()]


api = NinjaAPI(
    renderer=ChineseJSONRenderer(),
    title="连心桥 Lianxin API",
    version="1",
    urls_namespace="api",
    auth=api_auth(),
    description=(
        "连心桥党群服务平台接口。认证：对接令牌（Authorization: Bearer lx_…，由县级管理员在"
        '“对接管理”中创建）或已登录的会话。错误统一返回 {"code": 机器可读代码, "detail": '
        "中文说明}，校验失败（422）另附 errors 字段列表；超出令牌调用频率返回 429。"
    ),
)
errors.install(api)

for config in apps.get_app_configs():
    if not config.name.startswith("lianxin.") or config.label == "api":
        continue
    module_name = f"{config.name}.api"
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise
        continue
    api.add_router(f"/{getattr(module, 'API_PREFIX', config.label)}/", module.router)
