"""举报 for tests: unique canary strings in every sensitive field."""

from __future__ import annotations

REPORTER = "举报人金丝雀Q7"
CONTACT = "13766665555"
TEXT = "举报内容金丝雀Z3：收受好处费"
PERSON = "被举报人金丝雀K9"
CANARIES = (REPORTER, CONTACT, TEXT, PERSON)


def make_tipoff(world, *, unit=None, token: str = "route-walk", **fields):
    """One 举报 against town A's village (by default), filed anonymously with a name and phone;
    the same ``token`` returns the same 举报."""
    from lianxin.tipoffs.services import tipoff_file

    values = {
        "user": None,
        "unit": unit or world.village_a,
        "text": TEXT,
        "reported_person": PERSON,
        "reporter_name": REPORTER,
        "contact": CONTACT,
        "form_token": token,
        **fields,
    }
    tipoff, _code = tipoff_file(**values)
    return tipoff
