"""Closing an incident produces its post-incident report: counts, response times and who
did what, as a page, Markdown and CSV, with no customer text."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from crisis import selectors
from crisis import services as crisis
from routing import services
from routing.models import CustomerQuestion

from ..conftest import client_for
from .conftest import CUSTOMER, answered, ask, declare

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(social, lead, finance):
    incident = declare(social, departments=[finance])
    first = ask(finance)
    CustomerQuestion.objects.filter(pk=first.pk).update(
        received_at=timezone.now() - dt.timedelta(minutes=30)
    )
    services.record_public_reply(actor=social, question=answered(first), text="Sorted")
    ask(finance, "still charged twice")
    crisis.add_note(actor=lead, incident=incident, text="Board informed")
    return crisis.close_incident(actor=lead, incident=incident, resolution="All refunded")


def test_the_report_counts_times_and_people(closed):
    report = selectors.incident_report(closed)
    assert report.questions == 2 and report.replies == 1 and report.unanswered == 1
    assert 29 <= report.median_first_reply <= 31
    people = dict(report.people)
    assert people["Lea Lead"] == {"Note": 1, "Status change": 1}
    assert people["Sam Social"]["Reply sent"] == 1


def test_the_report_as_page_markdown_and_csv(lead, closed):
    client = client_for(lead)
    page = client.get(f"/crisis/incidents/{closed.pk}/report/").content.decode()
    assert "Post-incident report" in page and "Who did what" in page
    markdown = client.get(f"/crisis/incidents/{closed.pk}/report.md")
    assert markdown["Content-Type"].startswith("text/markdown")
    assert "| response | questions on the timeline | 2 |" in markdown.content.decode()
    rows = list(
        csv.reader(
            io.StringIO(client.get(f"/crisis/incidents/{closed.pk}/report.csv").content.decode())
        )
    )
    assert rows[0] == ["section", "item", "value"]
    assert ["response", "questions on the timeline", "2"] in rows
    for body in (page, markdown.content.decode()):
        for secret in CUSTOMER:
            assert secret not in body


def test_an_open_incident_has_no_report_yet(social):
    incident = declare(social)
    assert client_for(social).get(f"/crisis/incidents/{incident.pk}/report/").status_code == 404


def test_a_formula_never_reaches_the_spreadsheet(social):
    incident = declare(social, title='=HYPERLINK("http://evil")')
    crisis.close_incident(actor=social, incident=incident)
    body = client_for(social).get(f"/crisis/incidents/{incident.pk}/report.csv").content.decode()
    assert "'=HYPERLINK" in body
