from lianxin.triage.services import routing_model_job

# Trains at the worker's first run when there is no model, then nightly (services.routing_model_due).
PERIODIC_JOBS = [("triage.routing_model", routing_model_job)]
