"""Policy pages: the current policy and its acknowledgement, versions and their diffs, the
certification quiz, the brand account registry, and the admins' pages (drafts, quiz editor,
report, settings, offboarding, audit log).

Who may see what is policies.selectors'; who may change what is policies.services'.

The pages by subject: versions (and the settings), certification (the quiz and the
representatives), brand accounts, offboarding, report (and the audit log), and common.
policies/urls.py reads them from here.
"""

from .brand_accounts import account, accounts, authorize, handover, revoke_authorization
from .certification import quiz, quiz_editor, representatives, revoke_certification
from .offboarding import offboard
from .report import AUDIT_PAGE_SIZE, audit, report, report_csv
from .versions import acknowledge, current, diff, publish, settings_page, version, versions

__all__ = [
    "AUDIT_PAGE_SIZE",
    "account",
    "accounts",
    "acknowledge",
    "audit",
    "authorize",
    "current",
    "diff",
    "handover",
    "offboard",
    "publish",
    "quiz",
    "quiz_editor",
    "report",
    "report_csv",
    "representatives",
    "revoke_authorization",
    "revoke_certification",
    "settings_page",
    "version",
    "versions",
]
