"""The read-replica router: reads inside ``read_replica()`` go to the replica only while it
answers and is within the lag bound, writes and migrations always to the primary; a stopped
replica leaves the dashboard rendering from the primary. No real replica is needed: the
``replica`` alias is added here, pointing at an unreachable address or at the test database."""

from __future__ import annotations

import copy
import logging

import pytest
from django.db import connections, router, transaction
from django.db.utils import load_backend
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from lianxin.core import dbrouter, replica
from lianxin.core.dbrouter import ReplicaRouter, read_replica, reading_from, replica_view
from lianxin.org.models import Unit

pytestmark = pytest.mark.django_db

ROUTERS = ["lianxin.core.dbrouter.ReplicaRouter"]


@pytest.fixture
def add_replica(settings, tmp_path, monkeypatch):
    """``add_replica("unreachable")``: the alias names a port (or file) nobody answers on;
    ``add_replica("mirror")``: it names the test database itself (not in recovery: 0 s).
    The connection is made here rather than in ``DATABASES`` (as ``DATABASE_REPLICA_URL``
    would): Django's TestCase would open a transaction on it, and it may not answer."""
    made = []

    def _add(mode: str) -> None:
        conf = copy.deepcopy(connections["default"].settings_dict)
        conf["TEST"] = {**(conf.get("TEST") or {}), "MIRROR": None}
        if mode == "unreachable":
            if conf["ENGINE"] == "django.db.backends.postgresql":
                conf.update(HOST="127.0.0.1", PORT="1")
                conf["OPTIONS"] = {**conf.get("OPTIONS", {}), "connect_timeout": 1}
            else:
                conf["NAME"] = str(tmp_path / "no-such-dir" / "replica.sqlite3")
        wrapper = load_backend(conf["ENGINE"]).DatabaseWrapper(conf, replica.REPLICA)
        setattr(connections._connections, replica.REPLICA, wrapper)
        made.append(wrapper)
        monkeypatch.setattr(replica, "configured", lambda alias=replica.REPLICA: True)
        # a second connection cannot see the test's rows; these tests only read tables they
        # did not write, so the router may use it as it would a real replica
        monkeypatch.setattr(dbrouter, "_test_mirror_hides_data", lambda: False)
        settings.DATABASE_ROUTERS = ROUTERS
        settings.LIANXIN_REPLICA_MAX_LAG_SECONDS = 30
        replica.reset()

    yield _add
    for wrapper in made:
        wrapper.close()
    if made:
        delattr(connections._connections, replica.REPLICA)
    replica.reset()


def _fake_lag(monkeypatch, seconds: float) -> list[str]:
    calls: list[str] = []

    def measure(alias: str = replica.REPLICA) -> float:
        calls.append(alias)
        return seconds

    monkeypatch.setattr(replica, "measure_lag", measure)
    return calls


def test_without_a_replica_everything_reads_from_the_primary(settings):
    settings.DATABASE_ROUTERS = ROUTERS
    with read_replica() as alias:
        assert alias == "default"
        assert router.db_for_read(Unit) == "default"
    assert Unit.objects.filter(pk=0).count() == 0  # the query runs (on the primary)


def test_unreachable_replica_falls_back_and_is_logged_once(add_replica, settings, caplog):
    add_replica("unreachable")
    settings.LIANXIN_REPLICA_CHECK_SECONDS = 0  # probe on every block
    with caplog.at_level(logging.WARNING, logger="lianxin.replica"):
        for _ in range(3):
            with read_replica() as alias:
                assert alias == "default"
                assert router.db_for_read(Unit) == "default"
                assert Unit.objects.filter(pk=0).count() == 0  # no error: the primary answers
    warnings = [r for r in caplog.records if r.name == "lianxin.replica"]
    assert len(warnings) == 1
    assert "unreachable" in warnings[0].getMessage()


def test_lag_over_the_bound_falls_back(add_replica, monkeypatch):
    add_replica("mirror")
    _fake_lag(monkeypatch, 45.0)
    with read_replica() as alias:
        assert alias == "default"
        assert router.db_for_read(Unit) == "default"
    state = replica.replica_state()
    assert not state.usable and state.lag == 45.0 and "45.0 s > 30 s" in state.reason


def test_lag_within_the_bound_reads_from_the_replica(add_replica, monkeypatch):
    add_replica("mirror")
    _fake_lag(monkeypatch, 1.0)
    with read_replica() as alias:
        assert alias == "replica" and reading_from() == "replica"
        assert router.db_for_read(Unit) == "replica"
        with (
            CaptureQueriesContext(connections["replica"]) as on_replica,
            CaptureQueriesContext(connections["default"]) as on_primary,
        ):
            Unit.objects.filter(pk=0).exists()
        assert len(on_replica) == 1 and len(on_primary) == 0
    assert reading_from() == "default"
    assert router.db_for_read(Unit) == "default"  # outside the block: the primary again


def test_lag_is_probed_once_per_interval_not_per_read(add_replica, monkeypatch, settings):
    add_replica("mirror")
    settings.LIANXIN_REPLICA_CHECK_SECONDS = 60
    calls = _fake_lag(monkeypatch, 0.5)
    for _ in range(5):
        with read_replica():
            for _ in range(3):
                router.db_for_read(Unit)
    assert calls == ["replica"]


def test_replica_stopped_since_the_probe_is_noticed_before_a_read(add_replica, monkeypatch):
    add_replica("unreachable")
    _fake_lag(monkeypatch, 0.0)  # the cached probe still says "fine"
    with read_replica() as alias:
        assert alias == "default"
    assert not replica.replica_state().usable


def test_writes_and_migrations_go_to_the_primary_and_written_models_read_back_there(
    add_replica, monkeypatch
):
    add_replica("mirror")
    _fake_lag(monkeypatch, 0.0)
    r = ReplicaRouter()
    assert r.allow_migrate("default", "org") is True
    assert r.allow_migrate("replica", "org") is False
    with read_replica():
        assert router.db_for_write(Unit) == "default"
        assert router.db_for_read(Unit) == "default"  # written in this block: read it back
        from lianxin.jobs.models import Job

        assert router.db_for_read(Job) == "replica"
        with transaction.atomic():
            assert router.db_for_read(Job) == "default"  # inside a transaction: the primary
        with read_replica() as inner:
            assert inner == "replica"  # nested: the outer choice holds


def test_a_test_mirror_reads_from_the_primary_under_testcase(settings, monkeypatch):
    settings.DATABASE_ROUTERS = ROUTERS
    _fake_lag(monkeypatch, 0.0)
    monkeypatch.setitem(  # as with DATABASE_REPLICA_URL set while the suite runs
        connections.settings, replica.REPLICA, {"TEST": {"MIRROR": "default"}}
    )
    with read_replica() as alias:
        assert alias == "default"


def test_objects_from_either_database_may_be_related():
    a, b = Unit(), Unit()
    a._state.db, b._state.db = "replica", "default"
    assert ReplicaRouter().allow_relation(a, b) is True
    b._state.db = "other"
    assert ReplicaRouter().allow_relation(a, b) is None


def test_replica_view_reads_from_the_replica_for_get_only(add_replica, monkeypatch):
    add_replica("mirror")
    _fake_lag(monkeypatch, 0.0)
    seen = []
    view = replica_view(lambda request: seen.append(reading_from()))
    rf = RequestFactory()
    view(rf.get("/"))
    view(rf.head("/"))
    view(rf.post("/"))
    assert seen == ["replica", "replica", "default"]


def test_measured_lag_of_a_database_not_in_recovery_is_zero(add_replica):
    add_replica("mirror")
    assert replica.measure_lag() == 0.0


def test_dashboard_renders_from_the_primary_with_the_replica_stopped(
    add_replica, world, client, login
):
    add_replica("unreachable")
    login(world.users["county_admin"])
    response = client.get(f"/dashboards/{world.county.pk}/")
    assert response.status_code == 200
    assert world.county.name in response.content.decode()
    assert not replica.replica_state().usable
    api = client.get(f"/api/v1/dashboards/units/{world.county.pk}")
    assert api.status_code == 200, api.content
