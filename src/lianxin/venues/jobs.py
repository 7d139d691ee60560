from lianxin.venues.services import bookings_sweep_no_shows

PERIODIC_JOBS = [("venues.no_shows", lambda now: {"no_shows": bookings_sweep_no_shows(now=now)})]
