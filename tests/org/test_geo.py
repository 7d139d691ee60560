import pytest

from lianxin.org.geo import grid_locate
from lianxin.org.models import UnitKind
from lianxin.org.services import unit_create
from tests.conftest import square

pytestmark = pytest.mark.django_db


def test_point_lands_in_its_grid(world):
    assert grid_locate(lng=104.885, lat=34.715) == world.grid_a1
    assert grid_locate(lng=104.895, lat=34.715) == world.grid_a2
    assert grid_locate(lng=104.955, lat=34.755) == world.grid_b1


def test_point_outside_every_grid(world):
    assert grid_locate(lng=100.0, lat=30.0) is None


def test_micro_grid_wins_over_its_grid(world):
    micro = unit_create(
        code=world.grid_a1.code + "-M01",
        name="微网格",
        kind=UnitKind.MICRO_GRID,
        parent=world.grid_a1,
        boundary=square(104.884, 34.714, 0.002),
    )
    assert grid_locate(lng=104.885, lat=34.715) == micro
    assert grid_locate(lng=104.889, lat=34.719) == world.grid_a1


def test_index_notices_a_new_grid(world):
    assert grid_locate(lng=105.5, lat=35.5) is None
    new = unit_create(
        code=world.village_b.code + "-G09",
        name="新网格",
        kind=UnitKind.GRID,
        parent=world.village_b,
        boundary=square(105.5, 35.5),
    )
    assert grid_locate(lng=105.505, lat=35.505) == new
