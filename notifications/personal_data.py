"""What notifications holds of a person: what they chose (core.exports). The notifications
themselves were written by others' actions: they are not in the copy, and go with the
account."""

from core import exports

from .models import EmailSettings, GroupMute, Notification, NotificationPreference


def preferences(user):
    for pref in NotificationPreference.objects.filter(user=user).order_by("kind"):
        yield {"kind": pref.kind, "email": pref.delivery}
    settings = EmailSettings.objects.filter(user=user).first()
    if settings is not None:
        yield {"digest": settings.digest}
    for mute in GroupMute.objects.filter(user=user).select_related("group").order_by("id"):
        yield {"muted_group": mute.group.name, "since": mute.created_at}


def erase(user) -> None:
    Notification.objects.filter(recipient=user).delete()
    NotificationPreference.objects.filter(user=user).delete()
    EmailSettings.objects.filter(user=user).delete()
    GroupMute.objects.filter(user=user).delete()


def register() -> None:
    exports.register_exporter(
        "notification-settings", preferences, describe="your email and notification choices"
    )
    exports.register_erasure(
        "notifications",
        policy=exports.DELETE,
        describe="their notifications and email preferences",
        erase=erase,
    )
