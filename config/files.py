"""The file settings (config/settings.py lists them): static files (WhiteNoise), uploaded
media and who delivers them, and the sizes of uploads."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from config.application import DEBUG
from config.environment import BASE_DIR, TESTING, VAR_DIR, env

# --- Files ----------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_STORAGE",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not (DEBUG or TESTING)
            else "django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Who sends the bytes of an uploaded file once a view has authorised it (core/files.py):
# Django itself, nginx (X-Accel-Redirect to an internal location) or Apache/lighttpd
# (X-Sendfile).
MEDIA_DELIVERY = env.str("MEDIA_DELIVERY", default="django")
if MEDIA_DELIVERY not in ("django", "nginx", "sendfile"):
    raise ImproperlyConfigured("MEDIA_DELIVERY must be django, nginx or sendfile.")
MEDIA_ACCEL_PREFIX = env.str("MEDIA_ACCEL_PREFIX", default="/protected-media/")
if not (MEDIA_ACCEL_PREFIX.startswith("/") and MEDIA_ACCEL_PREFIX.endswith("/")):
    raise ImproperlyConfigured("MEDIA_ACCEL_PREFIX must start and end with '/'.")
AVATAR_MAX_BYTES = env.int("AVATAR_MAX_BYTES", default=2 * 1024 * 1024)
# The largest file (each version) a group's library takes (library.services.check_upload).
LIBRARY_MAX_UPLOAD_BYTES = env.int("LIBRARY_MAX_UPLOAD_BYTES", default=25 * 1024 * 1024)
if LIBRARY_MAX_UPLOAD_BYTES < 1:
    raise ImproperlyConfigured("LIBRARY_MAX_UPLOAD_BYTES must be 1 or more.")
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=5 * 1024 * 1024)
