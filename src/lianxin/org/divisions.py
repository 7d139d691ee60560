"""Reading the shipped Gansu division codes (统计用区划代码, NBS 2023) into unit rows."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lianxin.org.models import UnitKind

DATA_DIR = Path(__file__).resolve().parent / "data" / "gansu-divisions"


@dataclass(frozen=True)
class Division:
    code: str  # 12 digits
    name: str
    kind: str
    parent_code: str | None


def pad12(code: str) -> str:
    return code.ljust(12, "0")


def village_kind(code: str) -> str:
    """Digits 10-12 of a village code: 001-199 a residents' committee, 200-399 a village."""
    return UnitKind.COMMUNITY if int(code[9:12]) < 200 else UnitKind.VILLAGE


def village_display_name(name: str) -> str:
    """'畅家巷社区居委会' -> '畅家巷社区', '斗底村委会' -> '斗底村', '董庄居民委员会' -> '董庄社区'."""
    for suffix, replacement in (
        ("社区居民委员会", "社区"),
        ("社区居委会", "社区"),
        ("居民委员会", "社区"),
        ("居委会", "社区"),
        ("村民委员会", "村"),
        ("村委会", "村"),
    ):
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            if replacement == "村" and stem.endswith("村"):
                return stem
            return stem + replacement
    return name


def _rows(filename: str) -> Iterator[dict[str, str]]:
    with open(DATA_DIR / filename, encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


def read_divisions(county: str | None = None) -> list[list[Division]]:
    """Divisions grouped by level (province, city, county, town, village), parents first.

    With ``county`` (6 digits) only that county and its ancestors and descendants.
    """
    if county is not None and (len(county) != 6 or not county.isdigit()):
        raise ValueError(f"county code must have 6 digits, got {county!r}")
    counties = list(_rows("counties.csv"))
    if county is not None:
        counties = [r for r in counties if r["code"] == county]
        if not counties:
            raise LookupError(f"no county {county} in the Gansu data")
    city_codes = {r["cityCode"] for r in counties}
    county_codes = {r["code"] for r in counties}

    provinces = [
        Division(pad12(r["code"]), r["name"], UnitKind.PROVINCE, None)
        for r in _rows("provinces.csv")
    ]
    cities = [
        Division(pad12(r["code"]), r["name"], UnitKind.CITY, pad12(r["provinceCode"]))
        for r in _rows("cities.csv")
        if r["code"] in city_codes
    ]
    county_rows = [
        Division(pad12(r["code"]), r["name"], UnitKind.COUNTY, pad12(r["cityCode"]))
        for r in counties
    ]
    towns = [
        Division(
            pad12(r["code"]),
            r["name"],
            UnitKind.STREET if r["name"].endswith("街道") else UnitKind.TOWN,
            pad12(r["areaCode"]),
        )
        for r in _rows("towns.csv")
        if r["areaCode"] in county_codes
    ]
    villages = [
        Division(
            r["code"],
            village_display_name(r["name"]),
            village_kind(r["code"]),
            pad12(r["streetCode"]),
        )
        for r in _rows("villages.csv")
        if r["areaCode"] in county_codes
    ]
    return [provinces, cities, county_rows, towns, villages]
