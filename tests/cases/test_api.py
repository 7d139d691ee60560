"""The 诉求 API (cases/api.py): scoped like the workbench."""

from __future__ import annotations

import pytest

from tests.cases.factories import make_case

pytestmark = pytest.mark.django_db


def test_api_list_scoped(world, login):
    a = make_case(world)
    b = make_case(world, grid=world.grid_b1, reporter="resident_b")
    data = login(world.users["town_b"]).get("/api/v1/cases/").json()
    assert [x["code"] for x in data] == [b.code]
    assert login(world.users["town_b"]).get(f"/api/v1/cases/{a.pk}").status_code == 404
