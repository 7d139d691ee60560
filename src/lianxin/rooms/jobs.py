from lianxin.rooms.services import bookings_sweep_no_shows
from lianxin.rooms.telling import bookings_remind

# The job keeps the name it had under venues (its runs are recorded under it).
PERIODIC_JOBS = [
    ("venues.no_shows", lambda now: {"no_shows": bookings_sweep_no_shows(now=now)}),
    # 预约提醒: the day before, once per booking (issue 15)
    ("rooms.reminders", lambda now: {"reminded": bookings_remind(now=now)}),
]
