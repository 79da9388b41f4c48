"""The scrubber on real-looking customer text: what it removes, what it keeps, and that a
scrubbed text scrubs to itself (services scrub again on every save)."""

from knowledge.scrub import describe, scrub

from .conftest import ANSWER, EMAIL, HANDLE, NAME, TEXT, leaks

KNOWN = (NAME, HANDLE, EMAIL)


def test_the_customer_leaves_title_and_body():
    result = scrub("Jamal Hassan asks: where is the refund for order #55120?", TEXT, KNOWN)
    assert leaks(result.title) == [] and leaks(result.body) == []
    assert "refund" in result.title and "charged twice" in result.body
    assert result.removed["name"] >= 1
    assert {"email", "link", "number", "signature"} <= set(result.removed)


def test_the_answer_keeps_its_advice():
    result = scrub("Double charge", ANSWER, KNOWN)
    assert leaks(result.body) == []
    assert "reversed within 5 working days" in result.body  # short numbers are advice
    assert "[customer]" in result.body and "[email]" in result.body


def test_others_handles_emails_phones_and_accounts_too():
    body = (
        "Ask @maria_s or mail support-team@acme.io, call 020 7946 0958, "
        "account no. AC-99812 and ticket #884213. See www.tracker.example.org/x"
    )
    result = scrub("Where is it?", body)
    for secret in ("maria_s", "acme.io", "7946", "AC-99812", "884213", "tracker.example"):
        assert secret not in result.body, secret
    assert result.removed == {"handle": 1, "email": 1, "number": 3, "link": 1}


def test_a_scrubbed_text_scrubs_to_itself():
    once = scrub("Jamal's refund", TEXT, KNOWN)
    twice = scrub(once.title, once.body, KNOWN)
    assert (twice.title, twice.body) == (once.title, once.body)
    assert twice.removed == {} and not twice.changed and twice.diff == []


def test_the_diff_shows_the_writer_what_goes():
    result = scrub("Refund", f"Charges are reversed in five days.\nMail {EMAIL} if late.", KNOWN)
    removed = [line.text for line in result.diff if line.kind == "removed"]
    added = [line.text for line in result.diff if line.kind == "added"]
    assert removed == [f"Mail {EMAIL} if late."] and added == ["Mail [email] if late."]


def test_nothing_to_remove_is_said_plainly():
    result = scrub("How do refunds work?", "They take five working days.", KNOWN)
    assert not result.changed and result.summary() == []
    assert describe({"email": 2, "name": 1}) == ["the customer's name", "2 email addresses"]
