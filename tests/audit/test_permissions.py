"""The audit permission per role of the test world; with a row, the actor's membership must lie
in the reader's subtree (or the row has no actor)."""

import pytest

from lianxin.audit.models import AuditAction
from lianxin.audit.services import audit_record
from tests.org.permission_matrix import check, matrix

pytestmark = pytest.mark.django_db

READERS = frozenset({"county_admin", "supervisor"})


def _row_by(who):
    def make(world):
        return audit_record(action=AuditAction.LOGIN, actor=world.users[who])

    return make


CASES = [
    *matrix("audit.view_auditevent", READERS),
    *matrix("audit.view_auditevent", READERS, _row_by("village_b")),
    *matrix("audit.view_auditevent", READERS, lambda w: audit_record(action=AuditAction.LOGIN)),
]


@pytest.mark.parametrize(("perm", "who", "expected", "obj"), CASES)
def test_permission_per_role(world, perm, who, expected, obj):
    check(world, perm, who, expected, obj)


def test_a_row_by_someone_outside_the_county_is_not_the_readers(world, django_user_model):
    from tests.conftest import make_user

    outsider = make_user("outsider")  # no membership anywhere
    row = audit_record(action=AuditAction.LOGIN, actor=outsider)
    check(world, "audit.view_auditevent", "county_admin", False, row)


def test_every_audit_permission_is_covered():
    import rules

    named = {name for name in rules.permissions.permissions if name.startswith("audit.")}
    assert named == {perm for perm, *_ in CASES}
