"""What policies holds of a person: acknowledgements, quiz attempts, certifications."""

from core import exports

from .models import Acknowledgement, Certification, QuizAttempt


def acknowledgements(user):
    rows = Acknowledgement.objects.filter(user=user).select_related("version").order_by("id")
    for ack in rows.iterator(chunk_size=500):
        yield {"policy_version": ack.version.number, "acknowledged_at": ack.acknowledged_at}


def certifications(user):
    for attempt in QuizAttempt.objects.filter(user=user).order_by("id").iterator(chunk_size=500):
        yield {
            "quiz_attempt_at": attempt.created_at,
            "score": attempt.score,
            "passed": attempt.passed,
        }
    rows = Certification.objects.filter(user=user).select_related("version").order_by("id")
    for cert in rows.iterator(chunk_size=500):
        yield {
            "certified_for_version": cert.version.number,
            "certified_at": cert.certified_at,
            "revoked_at": cert.revoked_at,
            "revoke_reason": cert.revoke_reason,
        }


def register() -> None:
    exports.register_exporter(
        "policy-acknowledgements",
        acknowledgements,
        describe="the social media policy versions you acknowledged",
    )
    exports.register_exporter(
        "certifications", certifications, describe="your quiz attempts and certifications"
    )
    exports.register_erasure(
        "policy-records",
        policy=exports.KEEP,
        describe="acknowledgements, quiz attempts and certifications are kept as the "
        "compliance record, under the erased name",
    )
