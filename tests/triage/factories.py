"""Past dispatches built through the cases services, and a model trained on them."""

from __future__ import annotations

from lianxin.cases import services
from tests.cases.factories import make_case

LIGHTS = [
    ("路灯不亮", "小区门口的路灯坏了{n}天，晚上很黑。"),
    ("路灯坏了", "楼下那排路灯有{n}盏不亮，老人出门不安全。"),
    ("街灯不亮", "巷子里的街灯晚上不亮，黑乎乎的。"),
]
WAGES = [
    ("工资拖欠", "在工地干了{n}个月，老板拖欠工资不给。"),
    ("讨要工钱", "包工头欠我们{n}千块工钱，电话也不接。"),
    ("欠薪", "厂里{n}个月没发工资了，老板说没钱。"),
]


def past_dispatches(world, per_kind: int = 10) -> None:
    """Street lights handled by the grid (accepted there), unpaid wages dispatched to the
    department (accepted there): two routing habits the model must learn."""
    for i in range(per_kind):
        title, desc = LIGHTS[i % len(LIGHTS)]
        case = make_case(world, title=title, description=desc.format(n=i + 2), cat="infra-light")
        services.case_accept(case=case, actor=world.users["grid_a1"])
        title, desc = WAGES[i % len(WAGES)]
        case = make_case(world, title=title, description=desc.format(n=i + 2), cat="dispute-wage")
        services.case_dispatch(case=case, actor=world.users["grid_a1"], to_unit=world.department)
        case.refresh_from_db()
        services.case_accept(case=case, actor=world.users["dept"])


def trained(world):
    from lianxin.triage.services import routing_model_train

    past_dispatches(world)
    return routing_model_train()
