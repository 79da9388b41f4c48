"""Every read of people data. Every active employee may read every active profile: the
directory is the company's. Inactive (offboarded) accounts disappear from every surface.

The reads by responsibility: profiles (what a viewer may read, the directory's filters, site
search), lookups (an account, a department, a skill or a person named by a picker), counts
(the company-wide counts, cached and forgotten together, and the directory's capped total),
suggest (the "@" autocomplete), org_chart (managers and reports), sessions (is a signed-in
session still good?) and my_data (copies of one's data). Callers import from here:
`from people import selectors`.
"""

from .counts import (
    COUNTS_TTL,
    EXPERTS_GENERATION_KEY,
    POPULAR_SKILLS,
    TOTAL_CAP,
    counts_generation,
    departments_with_counts,
    directory_counts,
    directory_total,
    forget_counts,
    popular_skills,
)
from .lookups import (
    active_profile_named,
    all_departments,
    api_token_of,
    get_account,
    get_department,
    get_skill,
    get_skill_by_name,
    person_named,
    picked_person,
)
from .my_data import MY_DATA_EXPORTS, data_exports_of, data_exports_requested, get_data_export
from .org_chart import MAX_CHAIN, direct_reports, manager_chain, top_of_org
from .profiles import (
    PAGE_ORDER,
    PAGE_TYPES,
    cache_own_profile,
    directory_profiles,
    get_person,
    get_profile_by_avatar,
    get_visible_profile,
    kept_per_person,
    loaded_profiles,
    newest_colleagues,
    own_profile,
    people_page,
    profile_of,
    profile_page,
    profiles_by_id,
    visible_profiles,
    with_skills,
)
from .sessions import Access, check_access, check_access_many
from .suggest import SUGGEST_BATCH, SUGGEST_SORT_CAP, suggest_people
from .words import SearchTerm, profiles_with_terms, profiles_with_words, search_terms

__all__ = [
    "PAGE_ORDER",
    "PAGE_TYPES",
    "COUNTS_TTL",
    "EXPERTS_GENERATION_KEY",
    "MAX_CHAIN",
    "MY_DATA_EXPORTS",
    "POPULAR_SKILLS",
    "SUGGEST_BATCH",
    "SUGGEST_SORT_CAP",
    "TOTAL_CAP",
    "Access",
    "SearchTerm",
    "active_profile_named",
    "all_departments",
    "api_token_of",
    "check_access",
    "check_access_many",
    "data_exports_of",
    "data_exports_requested",
    "departments_with_counts",
    "directory_counts",
    "direct_reports",
    "directory_profiles",
    "counts_generation",
    "directory_total",
    "forget_counts",
    "get_account",
    "get_data_export",
    "get_department",
    "get_person",
    "get_profile_by_avatar",
    "get_skill",
    "get_skill_by_name",
    "get_visible_profile",
    "manager_chain",
    "newest_colleagues",
    "own_profile",
    "cache_own_profile",
    "person_named",
    "picked_person",
    "popular_skills",
    "kept_per_person",
    "loaded_profiles",
    "people_page",
    "profile_of",
    "profile_page",
    "profiles_by_id",
    "profiles_with_terms",
    "profiles_with_words",
    "search_terms",
    "suggest_people",
    "top_of_org",
    "visible_profiles",
    "with_skills",
]
