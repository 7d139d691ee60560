"""The demo's dashboards: the rollup of the last 12 months, built once every module has its rows
(before the reports step, whose monthly briefs read these figures)."""

from __future__ import annotations

from lianxin.core.demo import DemoContext
from lianxin.dashboards.rollup import build_all

DEMO_ORDER = 95


def demo_build(ctx: DemoContext) -> None:
    rows = build_all(months=12, now=ctx.now)
    ctx.log(f"看板汇总 {rows} 行（近 12 个月）")
