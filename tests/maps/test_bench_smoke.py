"""bench/map_viewport.py runs (a small fill over the test world, one timing per zoom)."""

from __future__ import annotations

from bench import map_viewport


def test_the_benchmark_runs_at_a_small_scale(world):
    from tests.cases.factories import ensure_categories

    ensure_categories()
    assert map_viewport.place_grids(extent=(104.8, 34.6, 105.1, 34.9)) == 3
    map_viewport.fill(300, batch=100)
    rows = map_viewport.run(world.users["county_admin"], runs=2, samples=3)
    assert [r["zoom"] for r in rows] == [8, 11, 14]
    assert rows[0]["requests"] == 300 and rows[0]["kb"] < 100
    assert "| zoom |" in map_viewport.table(rows, 2, 3)
