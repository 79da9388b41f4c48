"""The policies API under /api/v1/policies/: versions, acknowledgement, diffs, the quiz,
settings, the acknowledgement report, certified representatives, brand accounts,
offboarding and the audit log.

Each view parses its input with its own serializer, asks one selector or calls one service,
and answers with its own output serializer. Reads are policies.selectors'; writes are
policies.services' (ApplicationError: 400 naming the field, or 403 with nothing written).

The API by subject: versions (and the settings), certification (the quiz and the
representatives), brand accounts, offboarding, report (and the audit log).
policies/api_urls.py reads it from here.
"""

from .brand_accounts import (
    AuthorizationDetailApi,
    AuthorizationListApi,
    BrandAccountDetailApi,
    BrandAccountListApi,
    HandoverApi,
)
from .certification import (
    QuizApi,
    QuizAttemptApi,
    RepresentativeListApi,
    RepresentativeRevokeApi,
    VersionQuizApi,
)
from .offboarding import OffboardingApi, OffboardingPreviewApi
from .report import AuditLogApi, ReportApi
from .versions import (
    CurrentVersionApi,
    DiffApi,
    MyStatusApi,
    SettingsApi,
    VersionAcknowledgeApi,
    VersionDetailApi,
    VersionListApi,
    VersionPublishApi,
)

__all__ = [
    "AuditLogApi",
    "AuthorizationDetailApi",
    "AuthorizationListApi",
    "BrandAccountDetailApi",
    "BrandAccountListApi",
    "CurrentVersionApi",
    "DiffApi",
    "HandoverApi",
    "MyStatusApi",
    "OffboardingApi",
    "OffboardingPreviewApi",
    "QuizApi",
    "QuizAttemptApi",
    "ReportApi",
    "RepresentativeListApi",
    "RepresentativeRevokeApi",
    "SettingsApi",
    "VersionAcknowledgeApi",
    "VersionDetailApi",
    "VersionListApi",
    "VersionPublishApi",
    "VersionQuizApi",
]
