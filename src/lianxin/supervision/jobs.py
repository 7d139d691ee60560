from lianxin.supervision.services import orders_overdue_sweep

PERIODIC_JOBS = [("supervision.overdue", lambda now: orders_overdue_sweep(now=now))]
