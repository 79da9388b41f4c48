"""What the crisis reads share: who counts as an active viewer, and the user model."""

from django.contrib.auth import get_user_model

User = get_user_model()


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)
