ROUTE_KWARGS = {
    "people:person_detail": lambda w: {"pk": w.persons["a"].pk},
    "people:person_reveal": lambda w: {"pk": w.persons["a"].pk},
    "people:household_detail": lambda w: {"pk": w.households["a"].pk},
    "api:people_person": lambda w: {"pk": w.persons["a"].pk},
    "api:people_household": lambda w: {"pk": w.households["a"].pk},
}


def CANARIES(w):  # noqa: N802
    return [
        w.persons["a"].name,
        w.persons["a"].phone,
        w.persons["a"].id_number,
        w.households["a"].address,
    ]


ROUTE_KWARGS.update(
    {
        "people:person_new": lambda w: {"household_pk": w.households["a"].pk},
        "people:person_edit": lambda w: {"pk": w.persons["a"].pk},
    }
)
