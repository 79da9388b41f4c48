"""Every write the directory makes, by responsibility: tokens.py (the SCIM bearer tokens),
scim_users.py and scim_groups.py (what the identity provider sends), csv_import.py (the
directory file). Each writes in one transaction and audits what it changed."""

from .csv_import import ImportPlan, apply_import, plan_import
from .scim_groups import (
    create_scim_group,
    delete_scim_group,
    patch_scim_group,
    replace_scim_group,
)
from .scim_users import (
    create_scim_user,
    delete_scim_user,
    patch_scim_user,
    replace_scim_user,
)
from .tokens import authenticate_scim_key, create_scim_token, revoke_scim_token

__all__ = [
    "ImportPlan",
    "apply_import",
    "authenticate_scim_key",
    "create_scim_group",
    "create_scim_token",
    "create_scim_user",
    "delete_scim_group",
    "delete_scim_user",
    "patch_scim_group",
    "patch_scim_user",
    "plan_import",
    "replace_scim_group",
    "replace_scim_user",
    "revoke_scim_token",
]
