"""SCIM 2.0 (RFC 7643/7644) as Entra ID and Okta speak it, without Django: schema names,
the `eq` filters they send, and their PATCH operations turned into plain (path, value) pairs.

Both providers bend the RFC in known ways, accepted here on purpose:
- Entra capitalises ops ("Replace", "Add") and, unless the app opts into its fixed
  behaviour, sends booleans as strings ("False").
- Okta sends `replace` with no path and an object of attributes as the value
  (`{"op": "replace", "value": {"active": false}}`), and removes a member with a path
  filter (`members[value eq "id"]`) instead of a value.
"""

import re
from dataclasses import dataclass

from core.errors import ApplicationError

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"

MAX_OPERATIONS = 1000
MAX_PAGE = 200


class ScimError(ApplicationError):
    """An ApplicationError with the SCIM error type (RFC 7644 §3.12) the client expects."""

    def __init__(self, message: str, *, scim_type: str = "invalidValue", status: int = 400):
        super().__init__(message, field=scim_type, status=status)
        self.scim_type = scim_type


_FILTER = re.compile(r'^\s*([A-Za-z][\w.:]*)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$', re.IGNORECASE)


def parse_filter(text: str, *, allowed: dict[str, str]) -> tuple[str, str]:
    """`userName eq "x"` -> ("username", "x"), through `allowed` (SCIM attribute, lower case ->
    our name). Only `eq` on one attribute: what Entra and Okta send to find a resource."""
    match = _FILTER.match(text or "")
    if not match:
        raise ScimError(
            'Only filters of the form attribute eq "value" are supported.',
            scim_type="invalidFilter",
        )
    attribute, value = match.group(1).lower(), re.sub(r"\\(.)", r"\1", match.group(2))
    if attribute not in allowed:
        raise ScimError(
            f"Filtering on {match.group(1)} is not supported.", scim_type="invalidFilter"
        )
    return allowed[attribute], value


def as_bool(value, *, name: str) -> bool:
    """true/false, or Entra's "True"/"False" strings."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise ScimError(f"{name} must be true or false.")


def as_text(value, *, name: str, limit: int, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ScimError(f"{name} must be a string.")
    value = value.strip()
    if "\x00" in value:
        raise ScimError(f"{name} contains a NUL character.")
    if len(value) > limit:
        raise ScimError(f"{name} is longer than {limit} characters.")
    if required and not value:
        raise ScimError(f"{name} is required.", scim_type="invalidValue")
    return value


def reference_id(value, *, name: str) -> str | None:
    """A reference as providers send it: "id", {"value": "id"}, or null/"" to clear."""
    if isinstance(value, dict):
        value = value.get("value")
    if value in (None, ""):
        return None
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise ScimError(f"{name} must be a reference to a user.")
    return str(value)


@dataclass(frozen=True)
class Operation:
    op: str  # add | replace | remove
    path: str  # lower-cased attribute path; "" for a whole-resource value
    value: object


_MEMBER_FILTER = re.compile(r'^members\[value eq "((?:[^"\\]|\\.)*)"\]$', re.IGNORECASE)


def patch_operations(body) -> list[Operation]:
    """The operations of a PatchOp body, normalised: lower-case op and path, and a value
    object without a path spread into one operation per attribute (Okta's shape)."""
    if not isinstance(body, dict):
        raise ScimError("The body must be a PatchOp object.", scim_type="invalidSyntax")
    raw = body.get("Operations", body.get("operations"))
    if not isinstance(raw, list) or not raw:
        raise ScimError("Operations must be a non-empty list.", scim_type="invalidSyntax")
    if len(raw) > MAX_OPERATIONS:
        raise ScimError(f"At most {MAX_OPERATIONS} operations per request.", scim_type="tooMany")
    operations = []
    for item in raw:
        if not isinstance(item, dict):
            raise ScimError("Each operation must be an object.", scim_type="invalidSyntax")
        op = str(item.get("op", "")).lower()
        if op not in ("add", "replace", "remove"):
            raise ScimError(f"Unknown operation {item.get('op')!r}.", scim_type="invalidSyntax")
        path = item.get("path") or ""
        if not isinstance(path, str):
            raise ScimError("path must be a string.", scim_type="invalidPath")
        value = item.get("value")
        if not path:
            if op == "remove":
                raise ScimError("remove needs a path.", scim_type="noTarget")
            if not isinstance(value, dict):
                raise ScimError("Without a path the value must be an object.")
            operations.extend(_spread(op, "", value))
            continue
        if op != "remove" and "value" not in item:
            raise ScimError(f"{op} of {path} needs a value.", scim_type="invalidValue")
        operations.append(Operation(op, _normal_path(path), value))
    return operations


def _spread(op: str, prefix: str, value: dict) -> list[Operation]:
    """{"name": {"givenName": "A"}, "active": false} -> name.givenname, active. The
    enterprise extension's object becomes its URN-prefixed paths."""
    operations = []
    for key, item in value.items():
        if not isinstance(key, str):
            continue
        path = f"{prefix}{key}"
        lower = path.lower()
        if lower == ENTERPRISE_SCHEMA.lower() and isinstance(item, dict):
            operations.extend(_spread(op, f"{ENTERPRISE_SCHEMA}:", item))
        elif lower == "name" and isinstance(item, dict):
            operations.extend(_spread(op, "name.", item))
        else:
            operations.append(Operation(op, _normal_path(path), item))
    return operations


def _normal_path(path: str) -> str:
    path = path.strip()
    lower = path.lower()
    enterprise = ENTERPRISE_SCHEMA.lower()
    if lower.startswith(enterprise + ":"):
        return "enterprise:" + lower[len(enterprise) + 1 :]
    if lower.startswith(USER_SCHEMA.lower() + ":"):
        return lower[len(USER_SCHEMA) + 1 :]
    if lower.startswith(GROUP_SCHEMA.lower() + ":"):
        return lower[len(GROUP_SCHEMA) + 1 :]
    if (member := _MEMBER_FILTER.match(path)) is not None:
        return f"members:{member.group(1)}"
    return lower


def primary_email(emails) -> str:
    """The work or primary address of a SCIM `emails` list ("" when there is none)."""
    if emails in (None, ""):
        return ""
    if not isinstance(emails, list) or not all(isinstance(e, dict) for e in emails):
        raise ScimError("emails must be a list of objects.")
    chosen = next((e for e in emails if as_bool(e.get("primary", False), name="primary")), None)
    chosen = chosen or next((e for e in emails if e.get("type") == "work"), None)
    chosen = chosen or (emails[0] if emails else None)
    return as_text((chosen or {}).get("value"), name="emails.value", limit=254)


def member_ids(value) -> list[str]:
    """[{"value": "id", "display": ...}, ...] -> ["id", ...]."""
    if value is None:
        return []
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        raise ScimError("members must be a list.")
    ids = []
    for item in value:
        ref = reference_id(item, name="members.value")
        if ref is None:
            raise ScimError("Each member needs a value.")
        ids.append(ref)
    return ids


def page_bounds(start_index: str | None, count: str | None) -> tuple[int, int]:
    """SCIM's 1-based startIndex and count, clamped as RFC 7644 §3.4.2.4 says."""
    try:
        start = max(int(start_index or 1), 1)
        size = min(max(int(count if count not in (None, "") else 100), 0), MAX_PAGE)
    except ValueError as exc:
        raise ScimError("startIndex and count must be integers.") from exc
    return start, size
