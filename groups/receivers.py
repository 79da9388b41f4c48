"""Department groups follow the department: whoever changes a profile's department (the
edit page, the API, the admin, single sign-on), the person moves group with it."""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from people.models import Profile

from .department_sync import note_moved
from .services import sync_department_membership


@receiver(pre_save, sender=Profile, dispatch_uid="groups.remember_department")
def remember_department(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        instance._previous_department_id = None
        return
    instance._previous_department_id = (
        Profile.objects.filter(pk=instance.pk).values_list("department_id", flat=True).first()
    )


@receiver(post_save, sender=Profile, dispatch_uid="groups.follow_department")
def follow_department(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    previous = getattr(instance, "_previous_department_id", None)
    if created or previous != instance.department_id:
        if note_moved(instance.user_id):
            return  # many at once: synced together (groups.department_sync)
        sync_department_membership(
            user=instance.user,
            department=instance.department,
            previous_department_id=previous,
        )
