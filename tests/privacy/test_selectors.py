"""我的数据 holds every kind of the resident's own rows, masked, and never another resident's."""

from __future__ import annotations

from datetime import datetime

import pytest

from lianxin.privacy import selectors
from tests.clock import SHANGHAI
from tests.privacy.factories import TITLES, make_correction, resident_rows

pytestmark = pytest.mark.clock(datetime(2026, 11, 18, 10, 0, tzinfo=SHANGHAI))


def _by_key(user):
    return {s.key: s for s in selectors.my_data(user=user)}


def _text(sections) -> str:
    return " ".join(" ".join(" ".join(r) for r in s.rows) for s in sections.values())


def test_every_kind_holds_the_residents_own_rows(world):
    resident_rows(world, "a")
    resident_rows(world, "b")
    make_correction(world, "a")
    sections = _by_key(world.users["resident_a"])
    assert set(sections) == {
        "account",
        "person",
        "household",
        "cases",
        "wishes",
        "bookings",
        "registrations",
        "points",
        "visits",
        "corrections",
    }
    for key in (
        "person",
        "household",
        "cases",
        "wishes",
        "bookings",
        "registrations",
        "visits",
        "corrections",
    ):
        assert len(sections[key].rows) == 1, key
    assert sections["person"].rows[0][0] == "甲金丝雀"
    assert sections["household"].rows[0][0] == "A-0001"
    assert sections["cases"].rows[0][1] == TITLES["a"]
    assert sections["points"].rows[-1][3:5] == ["2", "5"]  # the confirmed total
    text = _text(sections)
    for other in ("乙金丝雀", TITLES["b"], "b想要一台收音机", "b舞蹈队", "b村晚", "B-0001"):
        assert other not in text


def test_numbers_are_masked_even_for_their_owner(world):
    resident_rows(world, "a")
    sections = _by_key(world.users["resident_a"])
    text = _text(sections)
    assert "13811112222" not in text and "620524195001010021" not in text
    assert "138****2222" in text
    assert "6205**********0021" in text
    assert "139****0001" in sections["cases"].rows[0][4]


def test_a_resident_without_a_person_record_sees_empty_sections(world):
    sections = _by_key(world.users["dept"])
    assert sections["person"].rows == [] and sections["household"].rows == []
    assert sections["account"].rows[0][0] == "dept"


def test_correction_list_is_scoped_to_the_clerk(world):
    corr_a = make_correction(world, "a")
    corr_b = make_correction(world, "b")
    assert list(selectors.correction_list(user=world.users["village_a"])) == [corr_a]
    assert list(selectors.correction_list(user=world.users["village_b"])) == [corr_b]
    assert set(selectors.correction_list(user=world.users["county_admin"])) == {corr_a, corr_b}
    assert corr_a.unit == world.grid_a1
