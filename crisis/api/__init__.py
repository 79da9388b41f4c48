"""The crisis and social APIs under /api/v1/: the playbook (versions as the policy API),
incidents (declare, close, timeline, notes, announcement; declare from a monitoring alert),
the org chart and the brand activity feed. Reads are crisis.selectors'; writes are
crisis.services' (ApplicationError: 400 naming the field, 403/409 with nothing written).

The API by subject: playbook, incidents (and the held replies), social (the org chart and
the brand activity feed). crisis/api_urls.py reads it from here.
"""

from .incidents import (
    MAX_ID,
    DeclareFromAlertApi,
    HeldReplyApproveApi,
    HeldReplyRejectApi,
    IncidentAnnouncementApi,
    IncidentCloseApi,
    IncidentDetailApi,
    IncidentHeldRepliesApi,
    IncidentListApi,
    IncidentNotesApi,
    IncidentTimelineApi,
)
from .playbook import (
    PlaybookAcknowledgeApi,
    PlaybookCurrentApi,
    PlaybookDetailApi,
    PlaybookDiffApi,
    PlaybookListApi,
    PlaybookPublishApi,
)
from .social import BrandActivityApi, OrgChartApi

__all__ = [
    "MAX_ID",
    "BrandActivityApi",
    "DeclareFromAlertApi",
    "HeldReplyApproveApi",
    "HeldReplyRejectApi",
    "IncidentAnnouncementApi",
    "IncidentCloseApi",
    "IncidentDetailApi",
    "IncidentHeldRepliesApi",
    "IncidentListApi",
    "IncidentNotesApi",
    "IncidentTimelineApi",
    "OrgChartApi",
    "PlaybookAcknowledgeApi",
    "PlaybookCurrentApi",
    "PlaybookDetailApi",
    "PlaybookDiffApi",
    "PlaybookListApi",
    "PlaybookPublishApi",
]
