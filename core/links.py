"""Links that never change while a process runs, worked out once: a URL name that takes no
arguments, one that takes one number (a comment's actions, a post's comment form: its
pattern is reversed once and the number put in), and a static file's URL (its hashed name
from the manifest).

Every page's shell (base.html and the navigation) names about twenty of each; reversing a
name costs 20-40 us and a static URL about as much, about a millisecond a page in all on the
people bench (issue 18). Both are kept per script prefix and URL configuration, so a test or
a deployment under a path prefix gets its own."""

import functools

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse


def fixed_url(name: str) -> str:
    """reverse(name) for a URL name that takes no arguments."""
    return _reversed(get_script_prefix(), get_urlconf(), name)


def id_url(name: str, pk: int) -> str:
    """reverse(name, args=[pk]) for a URL name whose one argument is a number (<int:...>).
    A post's page reversed about 300 such URLs, a tenth of its time (issue 18)."""
    return _with_id(get_script_prefix(), get_urlconf(), name).format(int(pk))


_MARK = 918273645546372819  # stands for the number while the pattern is reversed


@functools.cache
def _with_id(prefix: str, urlconf, name: str) -> str:
    url = reverse(name, urlconf=urlconf, args=[_MARK])
    if url.count(str(_MARK)) != 1:
        raise ValueError(f"{name} does not take one number")
    return url.replace("{", "{{").replace("}", "}}").replace(str(_MARK), "{}")


def asset_url(path: str) -> str:
    """{% static path %}: the URL of a static file."""
    return _static(get_script_prefix(), path)


@functools.cache
def _reversed(prefix: str, urlconf, name: str) -> str:
    return reverse(name, urlconf=urlconf)


@functools.cache
def _static(prefix: str, path: str) -> str:
    return static(path)


def forget() -> None:
    """Work every link out again (tests that change STATIC_URL or the URL configuration)."""
    _reversed.cache_clear()
    _with_id.cache_clear()
    _static.cache_clear()


@receiver(setting_changed)
def _settings_changed(*, setting: str, **kwargs) -> None:
    if setting in ("STATIC_URL", "STORAGES", "ROOT_URLCONF", "FORCE_SCRIPT_NAME"):
        forget()
