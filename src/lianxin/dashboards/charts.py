"""Trend charts as SVG drawn on the server with pygal: no JavaScript, printable as shown.

pygal takes about 7 ms a chart, so a page of seven would spend most of its time budget
drawing. A chart is a pure function of its title, kind and points, so the drawn SVG is kept
per process by those (``_render``'s LRU): a page redraws only the charts whose figures changed
since the last view (the rollup is rebuilt every few minutes), with no query and no staleness.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from functools import lru_cache

import pygal  # type: ignore[import-untyped]
from pygal.style import Style  # type: ignore[import-untyped]

_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
_STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#222",
    foreground_strong="#222",
    foreground_subtle="#bbb",
    colors=("#b3261e",),
    font_family="'Noto Sans CJK SC', 'WenQuanYi Micro Hei', sans-serif",
    title_font_size=16,
    label_font_size=12,
    major_label_font_size=12,
    value_font_size=11,
)


def _num(value, kind: str) -> float | None:
    if value is None:
        return None
    v = float(value)
    return round(v * 100, 1) if kind == "rate" else v


Point = tuple[date, float | Decimal | int | None]


def trend_svg(*, title: str, kind: str, points: list[Point]) -> str:
    return _render(str(title), kind, tuple((m, _num(v, kind)) for m, v in points))


@lru_cache(maxsize=2048)
def _render(title: str, kind: str, points: tuple[tuple[date, float | None], ...]) -> str:
    chart = pygal.Line(
        style=_STYLE,
        width=640,
        height=280,
        show_legend=False,
        js=[],  # no script tags: the chart works and prints without JavaScript
        disable_xml_declaration=True,
        explicit_size=False,
        margin=8,
        dots_size=3,
        print_values=False,
        range=(0, 100) if kind == "rate" else None,
        include_x_axis=kind != "rate",
        value_formatter=(lambda v: f"{v:.1f}%") if kind == "rate" else (lambda v: f"{v:g}"),
    )
    chart.title = title
    chart.x_labels = [f"{m:%Y-%m}" for m, _v in points]
    chart.add(title, [v for _m, v in points])
    svg = chart.render(is_unicode=True)
    # pygal always writes its tooltip config as an inline script: drop it (no script needed).
    return _SCRIPT.sub("", svg)
