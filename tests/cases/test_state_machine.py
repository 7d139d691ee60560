"""Any sequence of actions keeps the invariants: one owner, a timeline event per step,
due times present once dispatched, a refused step changes nothing, and the rates rollup
equals a GROUP BY over the requests."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from lianxin.cases import services as s
from lianxin.cases.models import TERMINAL_STATES, Case, CaseEvent, Rating, State
from tests.cases.factories import make_case
from tests.cases.test_stats import assert_rollup_current

ACTORS = ["grid_a1", "village_a", "town_a", "county_admin", "dept", "village_b"]
UNITS = ["grid_a1", "grid_a2", "village_a", "department", "town_a", "grid_b1"]


@pytest.mark.django_db
def test_case_state_machine(world):
    class CaseMachine(RuleBasedStateMachine):
        @initialize(staff=st.booleans())
        def submit(self, staff):
            kw = {"channel": "staff", "created_by": world.users["village_a"]} if staff else {}
            self.case = make_case(world, **kw)
            self.steps = 1

        def _attempt(self, fn):
            before = Case.objects.get(pk=self.case.pk)
            events_before = CaseEvent.objects.filter(case=self.case).count()
            try:
                fn()
            except (s.CaseError, PermissionDenied):
                after = Case.objects.get(pk=self.case.pk)
                assert after.state == before.state and after.owner_user_id == before.owner_user_id
                assert after.owner_unit_id == before.owner_unit_id
                assert CaseEvent.objects.filter(case=self.case).count() == events_before
                return
            self.steps += 1
            assert CaseEvent.objects.filter(case=self.case).count() > events_before

        @rule(actor=st.sampled_from(ACTORS))
        def accept(self, actor):
            self._attempt(lambda: s.case_accept(case=self.case, actor=world.users[actor]))

        @rule(actor=st.sampled_from(ACTORS), unit=st.sampled_from(UNITS))
        def dispatch(self, actor, unit):
            self._attempt(
                lambda: s.case_dispatch(
                    case=self.case, actor=world.users[actor], to_unit=getattr(world, unit)
                )
            )

        @rule(
            actor=st.sampled_from(ACTORS),
            unit=st.sampled_from(UNITS),
            reason=st.sampled_from(["", "不属本单位"]),
        )
        def transfer(self, actor, unit, reason):
            self._attempt(
                lambda: s.case_transfer(
                    case=self.case,
                    actor=world.users[actor],
                    to_unit=getattr(world, unit),
                    reason=reason,
                )
            )

        @rule(actor=st.sampled_from(ACTORS))
        def send_back(self, actor):
            self._attempt(
                lambda: s.case_send_back(case=self.case, actor=world.users[actor], reason="派错了")
            )

        @rule(actor=st.sampled_from(ACTORS))
        def escalate(self, actor):
            self._attempt(
                lambda: s.case_escalate(
                    case=self.case, actor=world.users[actor], reason="需上级协调"
                )
            )

        @rule(actor=st.sampled_from(ACTORS))
        def start(self, actor):
            self._attempt(lambda: s.case_start(case=self.case, actor=world.users[actor]))

        @rule(actor=st.sampled_from(ACTORS))
        def resolve(self, actor):
            self._attempt(
                lambda: s.case_resolve(
                    case=self.case, actor=world.users[actor], resolution="已处理"
                )
            )

        @rule(rating=st.sampled_from([Rating.SATISFIED, Rating.BASIC, Rating.UNSATISFIED]))
        def evaluate(self, rating):
            self._attempt(
                lambda: s.case_evaluate(
                    case=self.case, rating=rating, user=world.users["resident_a"]
                )
            )

        @rule(actor=st.sampled_from(ACTORS))
        def reject(self, actor):
            self._attempt(
                lambda: s.case_reject(
                    case=self.case, actor=world.users[actor], reason="不属受理范围"
                )
            )

        @rule(actor=st.sampled_from(ACTORS))
        def close(self, actor):
            self._attempt(lambda: s.case_close(case=self.case, actor=world.users[actor]))

        @rule(actor=st.sampled_from(ACTORS))
        def reopen(self, actor):
            self._attempt(
                lambda: s.case_reopen(
                    case=self.case, actor=world.users[actor], reason="群众再次反映"
                )
            )

        @rule(actor=st.sampled_from(ACTORS), approve=st.booleans())
        def extension(self, actor, approve):
            def go():
                c = Case.objects.get(pk=self.case.pk)
                if c.extension_state == "requested":
                    s.case_extension_decide(case=c, actor=world.users[actor], approve=approve)
                else:
                    s.case_extension_request(
                        case=c,
                        actor=world.users[actor],
                        until=(c.resolve_due_at or c.created_at) + timedelta(days=3),
                        reason="等配件",
                    )

            self._attempt(go)

        @rule(hours=st.integers(min_value=0, max_value=72))
        def sweep(self, hours):
            """The deadline sweep's overdue marks decide 响应率/解决率 (docs/rates.md): the rollup
            must follow them too. Time passing is played by moving the request's deadlines back
            (never so far that a warning would predate the submission: timeline order)."""
            from django.utils import timezone

            from lianxin.cases.sweep import deadline_sweep

            c = Case.objects.get(pk=self.case.pk)
            floor = c.created_at + timedelta(hours=5)  # its 4-hour warning after submission too
            moved = {
                f: max(getattr(c, f) - timedelta(hours=hours), floor)
                for f in ("accept_due_at", "resolve_due_at")
                if getattr(c, f) is not None
            }
            Case.objects.filter(pk=c.pk).update(**moved)
            deadline_sweep(now=timezone.now())

        @rule(actor=st.sampled_from(ACTORS))
        def merge(self, actor):
            other = make_case(world)
            self._attempt(
                lambda: s.case_merge(case=self.case, actor=world.users[actor], into=other)
            )

        @invariant()
        def invariants(self):
            case = Case.objects.get(pk=self.case.pk)
            assert (case.owner_user_id is None) != (case.owner_unit_id is None), "exactly one owner"
            events = list(CaseEvent.objects.filter(case=case).order_by("created_at", "id"))
            assert len(events) >= self.steps, "an event per step"
            assert events[0].kind == "submit"
            if case.state not in TERMINAL_STATES:
                assert case.accept_due_at is not None and case.resolve_due_at is not None
            if case.state == State.ACCEPTED or case.state == State.IN_PROGRESS:
                assert case.owner_user_id is not None
            if case.state in (State.SUBMITTED, State.REOPENED) and case.owner_unit_id is not None:
                assert case.unit_id == case.owner_unit_id
            state_events = [e for e in events if e.to_state]
            assert state_events[-1].to_state == case.state
            assert_rollup_current()  # the rates rollup is kept current by every step

    run_state_machine_as_test(
        CaseMachine,
        settings=settings(
            max_examples=25,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
