"""What campaigns holds of a person: their stories (with photos) and shares."""

from core import exports
from core.after_commit import call_on_commit

from .models import Contribution, Share


def stories(user):
    rows = Contribution.objects.filter(author=user).select_related("campaign").order_by("id")
    for c in rows.iterator(chunk_size=500):
        yield {
            "campaign": c.campaign.title,
            "text": c.text,
            "public_consent": c.consent,
            "created_at": c.created_at,
            "_files": [(f"{c.pk}-{c.image_name or 'photo'}", c.image)] if c.image else [],
        }
    for s in Share.objects.filter(user=user).order_by("id").iterator(chunk_size=500):
        yield {"shared_on": s.platform, "url": s.url, "created_at": s.created_at}


def erase_stories(user) -> None:
    """Stories the social team has not picked go, photos too (after commit); a picked one
    is the brand's public record and stays."""
    unpicked = Contribution.objects.filter(author=user, share_post__isnull=True)
    for contribution in unpicked:
        if contribution.image:
            storage, name = contribution.image.storage, contribution.image.name
            call_on_commit(lambda s=storage, n=name: s.delete(n), what=f"delete {name}")
        contribution.delete()


def register() -> None:
    exports.register_exporter(
        "campaigns", stories, describe="your campaign stories with their photos, and your shares"
    )
    exports.register_erasure(
        "campaign-stories",
        policy=exports.DELETE,
        describe="their stories and photos not picked for sharing; a story the brand "
        "already shared, and their shares, are kept as the campaign's record",
        erase=erase_stories,
    )
