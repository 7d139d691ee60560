from lianxin.cases.sweep import deadline_sweep

PERIODIC_JOBS = [("cases.deadline_sweep", lambda now: deadline_sweep(now=now).as_dict())]
