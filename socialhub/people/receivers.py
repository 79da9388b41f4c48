"""Reactions to account and profile changes, however they were made (pages, API, the admin,
single sign-on, createsuperuser)."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .models import Profile
from .selectors import forget_counts
from .services import ensure_profile

User = get_user_model()


@receiver(post_save, sender=User, dispatch_uid="people.ensure_profile")
def create_profile_for_new_user(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        ensure_profile(user=instance)


@receiver(post_save, sender=User, dispatch_uid="people.user_counts")
@receiver(post_save, sender=Profile, dispatch_uid="people.profile_counts")
@receiver(post_delete, sender=Profile, dispatch_uid="people.profile_deleted_counts")
@receiver(m2m_changed, sender=Profile.skills.through, dispatch_uid="people.skills_counts")
def refresh_directory_counts(sender, raw=False, **kwargs):
    """Department and skill counts are cached; a change to who is where forgets them."""
    if not raw:
        transaction.on_commit(forget_counts)
