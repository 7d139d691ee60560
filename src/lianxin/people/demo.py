"""Demo step 2: households with plausible names, addresses and valid-checksum ID numbers."""

from __future__ import annotations

from datetime import date, timedelta

from lianxin.accounts.models import User
from lianxin.core.demo import DemoContext
from lianxin.core.validators import id_check_digit
from lianxin.org.demo import SURNAMES, demo_name
from lianxin.org.models import Membership, Role, Unit, UnitKind
from lianxin.org.services import membership_bulk_grant
from lianxin.people.models import Gender, Household, PartyMember, Person

DEMO_ORDER = 20

TAGS = ["独居老人", "低保户", "留守儿童", "残疾人", "退役军人", "脱贫户"]
# Relations to the head of household, each with the gender it implies (members are drawn by
# household_members so that relation, gender and age agree: issue 9, "a 57-year-old 孙子").
RELATION_GENDER = {
    "丈夫": Gender.MALE,
    "妻子": Gender.FEMALE,
    "儿子": Gender.MALE,
    "女儿": Gender.FEMALE,
    "孙子": Gender.MALE,
    "孙女": Gender.FEMALE,
    "父亲": Gender.MALE,
    "母亲": Gender.FEMALE,
}
# Plausible age gaps, head's age minus the member's (a parent's gap is negative).
CHILD_GAP = (20, 40)
GRANDCHILD_GAP = (42, 70)
PARENT_GAP = (20, 36)
SPOUSE_GAP = 6
MAX_AGE = 98
PARTY_POSTS = ["", "", "", "", "党小组长", "支部委员", "宣传委员", "组织委员"]


def household_members(rng, size: int) -> list[tuple[str, str, int]]:
    """(relation, gender, age) of a household's members, the head first.

    A spouse is of the other gender and of similar age (within ``SPOUSE_GAP`` years); children
    are ``CHILD_GAP`` years younger than the head, grandchildren ``GRANDCHILD_GAP`` younger,
    parents ``PARENT_GAP`` older; the gendered relation (儿子/女儿, 孙子/孙女, 父亲/母亲,
    丈夫/妻子) always matches the member's gender. A household may come out smaller than
    ``size`` when no further member would be plausible (a 30-year-old has no grandchildren).
    """
    male, female = Gender.MALE, Gender.FEMALE
    head_gender = male if rng.random() < 0.7 else female
    head_age = rng.randint(30, 85)
    members = [("户主", head_gender, head_age)]
    if size > 1 and rng.random() < 0.85:
        age = max(20, min(MAX_AGE, head_age + rng.randint(-SPOUSE_GAP, SPOUSE_GAP)))
        members.append(("妻子", female, age) if head_gender == male else ("丈夫", male, age))
    parents_left = ["父亲", "母亲"]
    for _attempt in range(12):
        if len(members) >= size:
            break
        kinds = []
        if head_age - CHILD_GAP[0] >= 1:
            kinds.append("child")
        if head_age - GRANDCHILD_GAP[0] >= 1:
            kinds.append("grandchild")
        if parents_left and head_age + PARENT_GAP[0] <= MAX_AGE:
            kinds.append("parent")
        if not kinds:
            break
        kind = rng.choice(kinds)
        if kind == "parent":
            relation = parents_left.pop(rng.randrange(len(parents_left)))
            age = head_age + rng.randint(PARENT_GAP[0], min(PARENT_GAP[1], MAX_AGE - head_age))
        else:
            low, high = CHILD_GAP if kind == "child" else GRANDCHILD_GAP
            age = head_age - rng.randint(low, min(high, head_age - 1))
            gender = rng.choice([male, female])
            names = ("儿子", "女儿") if kind == "child" else ("孙子", "孙女")
            relation = names[0] if gender == male else names[1]
        members.append((relation, RELATION_GENDER[relation], age))
    return members


def demo_build(ctx: DemoContext) -> None:
    rng = ctx.rng
    county = ctx.county
    grids = list(
        Unit.objects.filter(kind=UnitKind.GRID, path__startswith=county.path)
        .select_related("parent")
        .order_by("code")
    )
    party_org_of = dict(
        Unit.objects.filter(kind=UnitKind.PARTY_ORG, path__startswith=county.path).values_list(
            "parent_id", "id"
        )
    )
    households: list[Household] = []
    for i in range(ctx.households):
        grid = grids[i % len(grids)] if i < len(grids) else rng.choice(grids)
        x0, y0 = grid.boundary["coordinates"][0][0]
        x1, y1 = grid.boundary["coordinates"][0][2]
        households.append(
            Household(
                number=f"{grid.code}-H{i + 1:05d}",
                grid=grid,
                address=f"武山县{grid.parent.name}{rng.randint(1, 12)}组{rng.randint(1, 80)}号",
                lng=round(rng.uniform(x0, x1), 6),
                lat=round(rng.uniform(y0, y1), 6),
                tags=[rng.choice(TAGS)] if rng.random() < 0.15 else [],
            )
        )
    Household.objects.bulk_create(households, batch_size=1000)
    households = list(
        Household.objects.filter(grid__path__startswith=county.path)
        .select_related("grid__parent")
        .order_by("id")
    )

    used_ids: set[str] = set()
    used_phones: set[str] = set()

    def id_number(birth: date, gender: str) -> str:
        while True:
            seq = rng.randint(0, 499) * 2 + (1 if gender == Gender.MALE else 0)
            first17 = f"{ctx.county_code}{birth:%Y%m%d}{seq:03d}"
            value = first17 + id_check_digit(first17)
            if value not in used_ids:
                used_ids.add(value)
                return value

    def phone() -> str:
        while True:
            value = (
                rng.choice(["138", "139", "135", "151", "177", "186", "199"])
                + f"{rng.randint(0, 99999999):08d}"
            )
            if value not in used_phones:
                used_phones.add(value)
                return value

    people: list[Person] = []
    for h in households:
        surname = rng.choice(SURNAMES)
        size = rng.choice([1, 2, 2, 3, 3, 3, 4, 4, 5])
        for relation, gender, age in household_members(rng, size):
            birth = date(ctx.now.year - age, 1, 1) + timedelta(days=rng.randint(0, 364))
            name = demo_name(rng)
            if relation in ("户主", "儿子", "女儿", "孙子", "孙女", "父亲") or rng.random() < 0.3:
                name = surname + name[1:]
            people.append(
                Person(
                    name=name,
                    gender=gender,
                    birth_date=birth,
                    id_number=id_number(birth, gender),
                    phone=phone() if age >= 16 and rng.random() < 0.8 else "",
                    household=h,
                    relation=relation,
                    unit=h.grid,
                )
            )
    Person.objects.bulk_create(people, batch_size=2000)
    ctx.log(f"住户 {len(households)} 户，居民 {len(people)} 人")

    # Party members (about 6% of adults), attached to their village's party organisation.
    adults = list(
        Person.objects.filter(
            unit__path__startswith=county.path, birth_date__lt=date(ctx.now.year - 20, 1, 1)
        )
        .select_related("unit")
        .order_by("id")
    )
    members = [p for p in adults if rng.random() < 0.06]
    PartyMember.objects.bulk_create(
        [
            PartyMember(
                person=p,
                party_org_id=party_org_of[p.unit.parent_id],
                joined_on=date(rng.randint(1975, ctx.now.year - 1), rng.randint(1, 12), 1),
                post=rng.choice(PARTY_POSTS),
            )
            for p in members
        ],
        batch_size=1000,
    )

    # Accounts: some party members and residents log in with their phone numbers.
    accounts: list[tuple[Person, str]] = [(p, Role.PARTY_MEMBER) for p in members[:300] if p.phone]
    residents = [p for p in adults if p.phone][:: max(1, len(adults) // 300)]
    member_ids = {p.pk for p in members}
    accounts += [(p, Role.RESIDENT) for p in residents if p.pk not in member_ids][:300]
    users = [
        User(
            username=p.phone,
            phone=p.phone,
            display_name=p.name,
            password=ctx.password_hash,
            password_changed_at=ctx.now,
        )
        for p, _role in accounts
    ]
    User.objects.bulk_create(users, batch_size=1000)
    uid = dict(
        User.objects.filter(phone__in=[p.phone for p, _ in accounts]).values_list("phone", "id")
    )
    membership_bulk_grant(
        [
            Membership(
                user_id=uid[p.phone],
                unit_id=(p.unit.parent_id if role == Role.PARTY_MEMBER else p.unit_id),
                role=role,
            )
            for p, role in accounts
        ]
    )
    for p, _role in accounts:
        p.user_id = uid[p.phone]
    Person.objects.bulk_update([p for p, _ in accounts], ["user"], batch_size=1000)
    ctx.log(f"党员 {len(members)} 名，登录账号 {len(accounts)} 个")
