"""The JSON API (OpenAPI at /api/v1/docs). Each app contributes ``lianxin.<app>.api.router``.

A router is mounted at ``/<app label>/`` unless its module sets ``API_PREFIX``: an app promoted
out of another (rooms out of venues) keeps the paths its integrations already call.
"""

from __future__ import annotations

import importlib

from django.apps import apps
from ninja import NinjaAPI
from ninja.renderers import JSONRenderer
from ninja.security import django_auth


class ChineseJSONRenderer(JSONRenderer):
    """Chinese stays readable in responses (and in any scan for leaked text)."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=ChineseJSONRenderer(),
    title="连心桥 Lianxin API",
    version="1",
    urls_namespace="api",
    auth=django_auth,
)

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
