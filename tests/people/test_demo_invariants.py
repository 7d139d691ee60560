"""Issue 9 item 6: in the generated demo, every household member's relation to the head agrees
with their gender and with their age (no 57-year-old woman listed as a 孙子)."""

from __future__ import annotations

import random
from collections import defaultdict

import pytest
from django.core.management import call_command

from lianxin.people.demo import RELATION_GENDER, household_members
from lianxin.people.models import Gender, Person

# Allowed (head's age − member's age), in whole years; one year of slack either side for
# birthdays falling on either side of the demo's date.
GAPS = {
    "丈夫": (-11, 11),
    "妻子": (-11, 11),
    "儿子": (17, 45),
    "女儿": (17, 45),
    "孙子": (38, 75),
    "孙女": (38, 75),
    "父亲": (-41, -17),
    "母亲": (-41, -17),
}


def _years(older, younger) -> float:
    return (younger - older).days / 365.25


def _check(members: list[tuple[str, str, float]]) -> list[str]:
    """Problems in one household given (relation, gender, age in years)."""
    heads = [m for m in members if m[0] == "户主"]
    if len(heads) != 1:
        return [f"{len(heads)} heads"]
    head_age = heads[0][2]
    problems = []
    for relation, gender, age in members:
        if relation == "户主":
            continue
        if relation not in RELATION_GENDER:
            problems.append(f"unknown relation {relation}")
            continue
        if RELATION_GENDER[relation] != gender:
            problems.append(f"{relation} of gender {gender}")
        low, high = GAPS[relation]
        if not low <= head_age - age <= high:
            problems.append(f"{relation} aged {age:.0f} with a head of {head_age:.0f}")
        if age < 0:
            problems.append(f"{relation} not born yet")
    spouses = [m for m in members if m[0] in ("丈夫", "妻子")]
    if len(spouses) > 1 or any(s[1] == heads[0][1] for s in spouses):
        problems.append("spouses do not fit the head")
    for parent in ("父亲", "母亲"):
        if sum(1 for m in members if m[0] == parent) > 1:
            problems.append(f"two of {parent}")
    return problems


def test_household_members_agree_for_many_seeds():
    rng = random.Random(20261118)
    for _ in range(5000):
        size = rng.choice([1, 2, 3, 4, 5])
        members = household_members(rng, size)
        assert 1 <= len(members) <= size
        assert _check(members) == [], members


@pytest.mark.django_db
def test_generated_demo_households_agree_with_age_and_gender():
    call_command("demo", households=400, only="org,people")
    people = list(
        Person.objects.filter(household__isnull=False).values_list(
            "household_id", "relation", "gender", "birth_date"
        )
    )
    assert len(people) > 800
    households: dict[int, list] = defaultdict(list)
    for household_id, relation, gender, birth in people:
        households[household_id].append((relation, gender, birth))
    problems = []
    for household_id, members in households.items():
        head_birth = next((b for r, _g, b in members if r == "户主"), None)
        assert head_birth is not None, household_id
        # Express everyone's age as years before/after the head: head's "age" 100, others relative.
        ages = [(r, g, 100 - _years(head_birth, b)) for r, g, b in members]
        problems += [f"household {household_id}: {p}" for p in _check(ages)]
    assert problems == []
    relations = {r for members in households.values() for r, _g, _b in members}
    assert {"户主", "妻子", "儿子", "女儿", "孙子", "孙女"} <= relations
    assert Person.objects.filter(relation="孙子", gender=Gender.FEMALE).count() == 0
