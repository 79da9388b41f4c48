"""Every account gets a profile, however it was created (admin, createsuperuser, SSO, seed)."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save
from django.dispatch import receiver

from .services import ensure_profile


@receiver(post_save, sender=get_user_model(), dispatch_uid="people.ensure_profile")
def create_profile_for_new_user(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        ensure_profile(user=instance)
