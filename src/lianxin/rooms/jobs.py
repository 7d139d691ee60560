from lianxin.rooms.services import bookings_sweep_no_shows

# The job keeps the name it had under venues (its runs are recorded under it).
PERIODIC_JOBS = [("venues.no_shows", lambda now: {"no_shows": bookings_sweep_no_shows(now=now)})]
