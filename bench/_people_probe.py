"""bench/people.py's query probe: inside Django (its `--probe` subprocess), each URL's
queries with their times and plans, and the API's page query from page 1 to the last page
(does keyset depth cost anything?); then how the bench prints them.
"""

import json
import re
import statistics
import sys

from bench import _common, _probe
from bench._common import ROOT


def probe_main(targets: list[list[str]], username: str) -> None:
    """In a Django process: time each URL's queries and EXPLAIN (ANALYZE, BUFFERS) them."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from rest_framework.authtoken.models import Token

    user = get_user_model().objects.get(username=username)
    page_client = Client(HTTP_HOST="127.0.0.1")
    page_client.force_login(user)
    api_client = Client(
        HTTP_HOST="127.0.0.1",
        HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}",
        HTTP_ACCEPT="application/json",
    )
    report = []
    for key, path, kind in targets:
        client = page_client if kind == "page" else api_client
        report.append({"key": key, **_probe.profile_request(client, path)})
    print("PROBE-JSON " + json.dumps({"urls": report, "keyset": keyset_depth(user)}))


def keyset_depth(user) -> list[dict]:
    """The API's page query from page 1 to the last page: does depth cost anything?"""
    from core.pagination import _after, _decode, _encode
    from people import selectors
    from people.api import _for_output

    ordering = ("display_name", "id")
    base = _for_output(selectors.directory_profiles(viewer=user)).order_by(*ordering)
    total = base.count()
    rows = []
    depths = [("page 1", None), ("page 41", 40 * 25), ("page 201", 200 * 25)]
    depths += [("page 321", 320 * 25), ("last page", total - 26)]
    # Only the depths the database has (a smoke run has a hundred profiles, not 10,000).
    depths = [(label, offset) for label, offset in depths if offset is None or 0 < offset < total]
    for label, offset in depths:
        qs = base
        if offset is not None:
            values = list(base.values_list(*ordering)[offset - 1 : offset][0])
            # Through the cursor, as a client sends it.
            decoded = _decode(_encode(values), ordering, (str, int))
            qs = base.filter(_after(ordering, decoded))
        plans = [
            qs[:26].explain(analyze=True, buffers=True).splitlines()
            for _ in range(_common.size(5, 1))
        ]
        times = [float(ln.split()[2]) for plan in plans for ln in plan if "Execution Time" in ln]
        removed = [ln.strip() for ln in plans[-1] if "Rows Removed by Filter" in ln]
        scan = [
            ln.strip().removeprefix("->").strip() for ln in plans[-1] if "people_profile " in ln
        ]
        rows.append(
            {
                "label": label,
                "row": offset or 0,
                "ms": statistics.median(times),
                "removed": removed[:1],
                "scan": [x.split("  (")[0] for x in scan[:1]],
                "filter": [
                    ln.strip()[:160]
                    for ln in plans[-1]
                    if ln.strip().startswith(("Filter: (((display", "Index Cond: ((display"))
                ][:1],
            }
        )
    return rows


def label_query(sql: str) -> str:
    # The table of the first selected column (a subquery's FROM may come first in the text).
    selected = re.match(r'SELECT (?:DISTINCT )?"(\w+)"\.', sql)
    tables = re.findall(r'FROM "(\w+)"', sql)
    main = selected.group(1) if selected else tables[0] if tables else "?"
    counted = "COUNT(" in sql
    if main == "django_session":
        return "session lookup"
    if main == "authtoken_token":
        return "token lookup (+ user)"
    if main == "auth_user":
        return "user lookup (+ roles, profile)"
    if main == "people_department" and counted:
        return "departments_with_counts()"
    if main == "people_department":
        return "get_department(slug)"
    if main == "people_skill" and counted:
        return "popular_skills()"
    if main == "people_skill" and "people_profile_skills" in sql:
        return "with_skills(page) prefetch"
    if main == "people_skill":
        return "get_skill(slug)"
    if main == "people_profile" and counted:
        return "total = profiles.count()"
    if main == "people_profile" and '"people_profile"."user_id" = %s' in sql:
        return "request.user.profile (base.html)"
    if main == "people_profile" and "LIMIT" in sql:
        return "page of profiles (keyset)"
    return main


SKIP_PLANS = {
    "session lookup",
    "token lookup (+ user)",
    "user lookup (+ roles, profile)",
    "get_department(slug)",
    "get_skill(slug)",
    "request.user.profile (base.html)",
}


def print_probe(probe_report: dict, labels: dict) -> list[str]:
    findings = _probe.print_queries(
        probe_report["urls"], labels, label_query, show_plan=lambda name: name not in SKIP_PLANS
    )
    print()
    print("KEYSET depth: the API's page query (25 + 1 rows) at increasing depth, median of 5")
    print("EXPLAIN ANALYZE runs. Goal (PERFORMANCE.md): a deep page within 1.5x page 1.")
    first = probe_report["keyset"][0]["ms"]
    for row in probe_report["keyset"]:
        print(
            f"   {row['label']:<10} (after row {row['row']:>6,}): {row['ms']:6.3f} ms"
            f" = {row['ms'] / first:5.1f}x page 1   {' '.join(row['scan'])}"
        )
        for extra in row["filter"] + row["removed"]:
            print(f"        {extra}")
    worst = max(probe_report["keyset"], key=lambda row: row["ms"])
    if worst["ms"] > 1.5 * first and worst["removed"]:
        findings.append(
            f"keyset pagination: {worst['label']} costs {worst['ms'] / first:.1f}x page 1 in SQL;"
            f" the cursor condition is a Filter, not an Index Cond ({worst['removed'][0]})"
        )
    return findings
