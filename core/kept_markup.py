"""Markup that depends only on its arguments, rendered once per process for each of them.

The shell of every page renders the same few fragments again and again: the navigation for
a set of entries, the bell for a count. `@kept(maxsize)` keeps a function's result per
arguments (functools.lru_cache, bounded, thread-safe). Every kept function is forgotten when
a setting that shapes URLs or templates changes (tests) and when a template file changes
under the development server's autoreloader, as Django's own template loaders are.

The arguments must hold everything the markup shows: a model instance is not a key (its
hash is its primary key, not its fields).
"""

import functools
from pathlib import Path

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.autoreload import file_changed

_kept: list = []


def kept(maxsize: int):
    """Keep the decorated function's markup per arguments, at most `maxsize` of them."""

    def decorate(func):
        cached = functools.lru_cache(maxsize=maxsize)(func)
        _kept.append(cached)
        return cached

    return decorate


def forget() -> None:
    """Render every kept fragment again from now on."""
    for cached in _kept:
        cached.cache_clear()


@receiver(setting_changed)
def _settings_changed(*, setting: str, **kwargs) -> None:
    if setting in ("STATIC_URL", "STORAGES", "ROOT_URLCONF", "FORCE_SCRIPT_NAME", "TEMPLATES"):
        forget()


@receiver(file_changed)
def _template_changed(*, file_path: Path, **kwargs) -> None:
    # Returns None: the autoreloader goes on (Django's own receiver decides on a restart).
    if Path(file_path).suffix == ".html":
        forget()
