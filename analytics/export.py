"""The CSV of a report: one row per week, the figures of the page's table."""

import csv
import io

HEADER = [
    "week_starting",
    "active_people",
    "posts",
    "comments",
    "reactions",
    "questions",
    "answered",
    "accepted",
    "median_hours_to_first_answer",
]


def report_csv(report) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for w in report.weeks:
        writer.writerow(
            [
                w.start.isoformat(),
                w.active,
                w.posts,
                w.comments,
                w.reactions,
                w.questions,
                w.answered,
                w.accepted,
                "" if w.median_hours is None else w.median_hours,
            ]
        )
    return out.getvalue()
