import time

import pytest

from lianxin.org.divisions import village_display_name, village_kind
from lianxin.org.models import Unit, UnitKind
from lianxin.org.services import divisions_import

pytestmark = pytest.mark.django_db


def test_wushan_has_15_towns_and_357_villages():
    result = divisions_import(county="620524")
    county = Unit.objects.get(code="620524000000")
    assert county.name == "武山县"
    assert Unit.objects.filter(parent=county).count() == 15
    villages = Unit.objects.filter(parent__parent=county)
    assert villages.count() == 357
    assert villages.filter(kind=UnitKind.COMMUNITY).count() == 87
    assert villages.filter(name="斗底村").exists()
    assert villages.filter(name="南关社区").exists()
    assert result["created"] == 1 + 1 + 1 + 15 + 357


def test_paths_follow_codes_and_prefix_parent():
    divisions_import(county="620524")
    village = Unit.objects.get(code="620524100002")
    assert village.path == "/620000000000/620500000000/620524000000/620524100000/620524100002/"
    assert village.parent.code == "620524100000"
    assert village.depth == 4
    for unit in Unit.objects.filter(parent__isnull=False).select_related("parent")[:500]:
        assert unit.path.startswith(unit.parent.path)


def test_import_is_idempotent():
    divisions_import(county="620524")
    before = Unit.objects.count()
    again = divisions_import(county="620524")
    assert again == {"created": 0, "updated": 0, "total": before}
    assert Unit.objects.count() == before


def test_import_updates_renamed_division():
    divisions_import(county="620524")
    Unit.objects.filter(code="620524100002").update(name="旧名")
    result = divisions_import(county="620524")
    assert result["updated"] == 1
    assert Unit.objects.get(code="620524100002").name == "南关社区"


def test_whole_gansu_in_seconds():
    start = time.perf_counter()
    result = divisions_import()
    elapsed = time.perf_counter() - start
    assert result["created"] == 1 + 14 + 88 + 1403 + 17718
    assert elapsed < 30


def test_unknown_county_is_refused():
    with pytest.raises(LookupError):
        divisions_import(county="999999")
    with pytest.raises(ValueError):
        divisions_import(county="62")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("畅家巷社区居委会", "畅家巷社区"),
        ("董庄居民委员会", "董庄社区"),
        ("斗底村委会", "斗底村"),
        ("窑儿村民委员会", "窑儿村"),
        ("某某", "某某"),
    ],
)
def test_village_names(raw, expected):
    assert village_display_name(raw) == expected


def test_village_kind_from_code():
    assert village_kind("620524100001") == UnitKind.COMMUNITY
    assert village_kind("620524100199") == UnitKind.COMMUNITY
    assert village_kind("620524100200") == UnitKind.VILLAGE
