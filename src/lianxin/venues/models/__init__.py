"""阵地 models, one module per sub-domain (archive, surveys, plans, duty), re-exported here so
the app label, migrations and ``from lianxin.venues.models import X`` stay as they were.

Rooms and bookings live in ``lianxin.rooms`` (ADR 0006); signage, inspections and rectification
tasks in ``lianxin.compliance`` (ADR 0007); both keep their ``venues_*`` tables.
"""

from lianxin.venues.models.archive import (
    Condition,
    HazardQuerySet,
    PhotoKind,
    PhotoQuerySet,
    Severity,
    Structure,
    Venue,
    VenueHazard,
    VenueKind,
    VenuePhoto,
    VenueQuerySet,
)
from lianxin.venues.models.duty import (
    CertificateQuerySet,
    DutyQuerySet,
    DutyShift,
    StaffCertificate,
)
from lianxin.venues.models.plans import (
    _FUND_SUM,
    FUND_FIELDS,
    PLAN_NEXT,
    PlanQuerySet,
    PlanStatus,
    UpgradePlan,
    WorkType,
)
from lianxin.venues.models.surveys import (
    CampaignQuerySet,
    SurveyCampaign,
    SurveyResponse,
    SurveyResponseQuerySet,
)

__all__ = [
    "Condition",
    "HazardQuerySet",
    "PhotoKind",
    "PhotoQuerySet",
    "Severity",
    "Structure",
    "Venue",
    "VenueHazard",
    "VenueKind",
    "VenuePhoto",
    "VenueQuerySet",
    "CampaignQuerySet",
    "SurveyCampaign",
    "SurveyResponse",
    "SurveyResponseQuerySet",
    "FUND_FIELDS",
    "PLAN_NEXT",
    "PlanQuerySet",
    "PlanStatus",
    "UpgradePlan",
    "WorkType",
    "_FUND_SUM",
    "CertificateQuerySet",
    "DutyQuerySet",
    "DutyShift",
    "StaffCertificate",
]
