"""Our rows as SCIM resources (RFC 7643 §4)."""

from django.urls import reverse

from .protocol import ENTERPRISE_SCHEMA, GROUP_SCHEMA, LIST_SCHEMA, USER_SCHEMA


def _meta(request, kind: str, url_name: str, pk: int, created, modified) -> dict:
    location = request.build_absolute_uri(reverse(url_name, args=[pk]))
    meta = {"resourceType": kind, "location": location}
    if created:
        meta["created"] = created.isoformat()
    if modified:
        meta["lastModified"] = modified.isoformat()
    return meta


def user_resource(request, user) -> dict:
    """Expects scim_users()'s select_related: no query of its own."""
    profile = user.profile
    identity = getattr(user, "directory_identity", None)
    enterprise = {"department": profile.department.name if profile.department else ""}
    if profile.manager is not None:
        enterprise["manager"] = {
            "value": str(profile.manager.user_id),
            "displayName": profile.manager.display_name,
        }
    resource = {
        "schemas": [USER_SCHEMA, ENTERPRISE_SCHEMA],
        "id": str(user.pk),
        "userName": user.username,
        "name": {
            "givenName": user.first_name,
            "familyName": user.last_name,
            "formatted": user.get_full_name() or profile.display_name,
        },
        "displayName": profile.display_name,
        "title": profile.title,
        "active": user.is_active,
        "emails": [{"value": user.email, "type": "work", "primary": True}] if user.email else [],
        ENTERPRISE_SCHEMA: enterprise,
        "meta": _meta(request, "User", "scim:user", user.pk, user.date_joined, profile.updated_at),
    }
    if identity is not None:
        resource["externalId"] = identity.external_id
    return resource


def group_resource(request, department, *, with_members: bool = True) -> dict:
    link = getattr(department, "directory_group", None)
    resource = {
        "schemas": [GROUP_SCHEMA],
        "id": str(department.pk),
        "displayName": department.name,
        "meta": _meta(request, "Group", "scim:group", department.pk, None, None),
    }
    if link is not None:
        resource["externalId"] = link.external_id
    if with_members:
        resource["members"] = [
            {"value": str(p.user_id), "display": p.display_name} for p in department.active_members
        ]
    return resource


def list_response(resources: list[dict], *, total: int, start: int) -> dict:
    return {
        "schemas": [LIST_SCHEMA],
        "totalResults": total,
        "startIndex": start,
        "itemsPerPage": len(resources),
        "Resources": resources,
    }
