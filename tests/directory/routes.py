"""Routes of this surface for tests/test_routes.py: the admin's pages (LOGIN) and the SCIM
endpoints, which answer a caller without a token 401 with a SCIM error that has a detail."""

from ..route_kinds import API, LOGIN

ROUTES: dict = {
    "directory/scim-tokens/": ("/directory/scim-tokens/", LOGIN),
    "directory/scim-tokens/<int:token_id>/revoke/": ("/directory/scim-tokens/1/revoke/", LOGIN),
    "directory/import/": ("/directory/import/", LOGIN),
    "scim/v2/ServiceProviderConfig": ("/scim/v2/ServiceProviderConfig", API),
    "scim/v2/ResourceTypes": ("/scim/v2/ResourceTypes", API),
    "scim/v2/Users": ("/scim/v2/Users", API),
    "scim/v2/Users/<str:user_id>": ("/scim/v2/Users/1", API),
    "scim/v2/Groups": ("/scim/v2/Groups", API),
    "scim/v2/Groups/<str:group_id>": ("/scim/v2/Groups/1", API),
}
