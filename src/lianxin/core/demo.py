"""The demo county, built by every module in turn.

An app contributes ``lianxin.<app>.demo`` with ``DEMO_ORDER`` (int) and
``demo_build(ctx: DemoContext) -> None``. Everything derives from ``ctx.rng`` so a seed
gives the same county twice; bulk inserts keep the default size under a minute.
"""

from __future__ import annotations

import importlib
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.apps import apps


@dataclass
class DemoContext:
    rng: random.Random
    county_code: str  # 6 digits, 620524 for 武山县
    households: int
    now: datetime
    password_hash: str
    log: Callable[[str], None]
    options: dict[str, Any] = field(default_factory=dict)
    # Filled by the org step for the steps after it.
    county: Any = None
    logins: list[tuple[str, str]] = field(default_factory=list)  # (role label, username)


def demo_steps() -> list:
    steps = []
    for config in apps.get_app_configs():
        if not config.name.startswith("lianxin."):
            continue
        name = f"{config.name}.demo"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        if hasattr(module, "demo_build"):
            steps.append(module)
    return sorted(steps, key=lambda m: getattr(m, "DEMO_ORDER", 100))
