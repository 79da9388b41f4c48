"""Reactions to account and profile changes, however they were made (pages, API, the admin,
single sign-on, createsuperuser)."""

from django.contrib.auth import SESSION_KEY, get_user_model, user_logged_out
from django.contrib.sessions.models import Session
from django.db.models import DEFERRED
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone

from core import events
from core.after_commit import call_on_commit

from .models import DataExport, Department, Profile, Skill, fold, sync_search_words
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
def refresh_directory_counts(sender, raw=False, update_fields=None, **kwargs):
    """Department and skill counts are cached; a change to who is where forgets them. A
    sign-in (Django saves only the account's last_login) changes none of it."""
    if raw or (update_fields is not None and set(update_fields) <= {"last_login"}):
        return
    call_on_commit(forget_counts, what="forget the directory counts")


@receiver(post_save, sender=Department, dispatch_uid="people.department_saved")
@receiver(post_delete, sender=Department, dispatch_uid="people.department_deleted")
@receiver(post_save, sender=Skill, dispatch_uid="people.skill_saved")
@receiver(post_delete, sender=Skill, dispatch_uid="people.skill_deleted")
def refresh_department_names(sender, raw=False, **kwargs):
    """Site search matches department names from a cached list, and the directory shows
    departments (names and counts), popular skills and cards from a cache: a department or
    a skill created, renamed or deleted (pages, SCIM, the admin) forgets them."""
    if not raw:
        call_on_commit(forget_counts, what="forget the department names and counts")


# --- Open sockets follow the right to read (SECURITY.md, leak classes 1 and 7) ----------
#
# Whatever ends or narrows a person's right to read, however it was made (offboarding, the
# Django admin, single sign-on, a shell, a password change, signing out, a session deleted,
# a role lost), tells their open sockets in every process to re-check at once
# (core.events.access_changed; feeds/consumers.py closes or re-scopes them).

# The account fields a socket's right depends on: the session's auth hash follows the password.
ACCESS_FIELDS = ("is_active", "is_staff", "is_superuser", "password")


def _access_snapshot(user) -> tuple:
    # From __dict__: a deferred field (only()) is not loaded just to be compared.
    return tuple(user.__dict__.get(field, DEFERRED) for field in ACCESS_FIELDS)


@receiver(post_init, sender=User, dispatch_uid="people.access_snapshot")
def remember_access_fields(sender, instance, **kwargs):
    instance._access_snapshot = _access_snapshot(instance)
    instance._username_snapshot = instance.__dict__.get("username", DEFERRED)


@receiver(post_save, sender=User, dispatch_uid="people.username_key")
def refold_username(sender, instance, created, raw=False, update_fields=None, **kwargs):
    """A renamed account (SCIM, the admin) is found by its new username at once."""
    before = getattr(instance, "_username_snapshot", DEFERRED)
    instance._username_snapshot = instance.__dict__.get("username", DEFERRED)
    if raw or created or before is DEFERRED or before == instance._username_snapshot:
        return
    Profile.objects.filter(user=instance).update(username_key=fold(instance.get_username()))
    sync_search_words(Profile.objects.filter(user=instance))


@receiver(post_save, sender=User, dispatch_uid="people.access_changed_on_save")
def revalidate_sockets_on_save(sender, instance, created, raw=False, update_fields=None, **kw):
    if raw:
        return
    before = getattr(instance, "_access_snapshot", None)
    after = _access_snapshot(instance)
    instance._access_snapshot = after
    if created or before == after:
        return
    if update_fields is not None and not set(update_fields) & set(ACCESS_FIELDS):
        return
    events.access_changed(instance.pk)


@receiver(post_delete, sender=User, dispatch_uid="people.access_changed_on_delete")
def revalidate_sockets_on_delete(sender, instance, **kwargs):
    events.access_changed(instance.pk)


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="people.access_changed_roles")
def revalidate_sockets_on_roles(sender, instance, action, reverse, pk_set, **kwargs):
    """Roles are Django groups (people.roles): a role given or taken, from either side."""
    if action == "pre_clear":
        # Who loses the role is known only before the rows go.
        instance._cleared_user_ids = (
            list(instance.user_set.values_list("pk", flat=True)) if reverse else [instance.pk]
        )
        return
    if action == "post_clear":
        user_ids = getattr(instance, "_cleared_user_ids", [])
    elif action in ("post_add", "post_remove"):
        user_ids = list(pk_set or ()) if reverse else [instance.pk]
    else:
        return
    for user_id in user_ids:
        events.access_changed(user_id)


@receiver(user_logged_out, dispatch_uid="people.access_changed_on_logout")
def revalidate_sockets_on_logout(sender, request, user, **kwargs):
    if user is not None and user.pk is not None:
        events.access_changed(user.pk)


@receiver(post_delete, sender=Session, dispatch_uid="people.access_changed_session_deleted")
def revalidate_sockets_on_session_deleted(sender, instance, **kwargs):
    """A database session deleted by any path (sign out everywhere, the admin, a shell).
    Expired ones (clearsessions) are skipped: their sockets closed at expiry on their own."""
    if instance.expire_date <= timezone.now():
        return
    try:
        user_id = instance.get_decoded().get(SESSION_KEY)
    except Exception:
        return
    if user_id is not None:
        events.access_changed(int(user_id))


@receiver(pre_delete, sender=DataExport, dispatch_uid="people.data_export_file")
def delete_data_export_file(sender, instance, **kwargs):
    """A copy's file goes with its row (expiry, account deletion), after commit. Before the
    delete, not after: retention deletes rows loaded with only their id, and the file's
    name is read from the row while it still exists."""
    from .personal_data import forget_export_file

    forget_export_file(instance)
