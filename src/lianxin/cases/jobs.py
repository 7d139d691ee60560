from lianxin.cases.digest import staff_digest
from lianxin.cases.provisional import provisional_deadlines_recount
from lianxin.cases.sweep import deadline_sweep

PERIODIC_JOBS = [
    ("cases.deadline_sweep", lambda now: deadline_sweep(now=now).as_dict()),
    # 暂按工作日计算 due times counted again once next year's 节假日安排 is marked complete.
    ("cases.provisional_deadlines", lambda now: provisional_deadlines_recount(now=now).as_dict()),
    # 每日待办: each staff member's overdue and due-today requests, once a morning (issue 15)
    ("cases.digest", lambda now: {"digests": staff_digest(now=now)}),
]
