"""举报: encryption at rest, who sees it, the follow-up code and the handling states."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from lianxin.audit.models import AuditEvent
from lianxin.org.models import Role
from lianxin.tipoffs import selectors, services
from lianxin.tipoffs.models import TipoffState
from tests.conftest import make_user

CANARY = "CANARY-TEXT-7f3a"
NAME = "CANARY-NAME-91bc"
CONTACT = "CANARY-PHONE-13900001111"
PERSON = "CANARY-PERSON-5d2e"


@pytest.fixture
def tipoff(world):
    t, code = services.tipoff_file(
        user=None,
        unit=world.village_a,
        text=CANARY,
        reported_person=PERSON,
        reporter_name=NAME,
        contact=CONTACT,
    )
    return t, code


def test_the_database_holds_no_plain_text(tipoff):
    with connection.cursor() as cur:
        cur.execute("SELECT * FROM tipoffs_tipoff")
        raw = repr(cur.fetchall())
    for canary in (CANARY, NAME, CONTACT, PERSON, tipoff[1]):
        assert canary not in raw
    assert tipoff[0].text == CANARY


def test_audit_rows_hold_only_id_and_action(tipoff):
    raw = repr(list(AuditEvent.objects.values()))
    for canary in (CANARY, NAME, CONTACT, PERSON):
        assert canary not in raw


def test_only_a_supervisor_above_sees_it(world, tipoff):
    t, _code = tipoff
    assert list(selectors.tipoff_list(user=world.users["supervisor"])) == [t]
    village_sup = make_user("vsup", unit=world.village_a, role=Role.SUPERVISOR)
    assert not selectors.tipoff_list(user=village_sup).exists()
    assert not village_sup.has_perm("tipoffs.handle_tipoff", t)
    for name, user in world.users.items():
        if name != "supervisor":
            assert not selectors.tipoff_list(user=user).exists(), name
            assert not user.has_perm("tipoffs.handle_tipoff", t), name


def test_handling_and_follow_up(world, tipoff):
    t, code = tipoff
    sup = world.users["supervisor"]
    assert selectors.tipoff_by_code(code) == t
    assert selectors.tipoff_by_code("WRONGCODE") is None
    services.tipoff_receive(actor=sup, tipoff=t)
    services.tipoff_investigate(actor=sup, tipoff=t)
    services.tipoff_conclude(
        actor=sup, tipoff=t, conclusion="partly", finding="查实部分", feedback="已处理"
    )
    t.refresh_from_db()
    assert t.state == TipoffState.CONCLUDED and t.finding == "查实部分"
    assert t.feedback == "已处理" and "已处理" not in t.feedback_enc
    with pytest.raises(PermissionDenied):
        services.tipoff_reveal_reporter(actor=world.users["village_a"], tipoff=t, reason="x")
    revealed = services.tipoff_reveal_reporter(actor=sup, tipoff=t, reason="核实需要")
    assert revealed["contact"] == CONTACT
    ev = AuditEvent.objects.get(action="tipoff.reveal_reporter", outcome="ok")
    assert ev.reason == "核实需要" and CONTACT not in repr(ev.__dict__)
