"""The product's settings plus one URL for the benchmarks' floor (bench/urls.py).

Used only by bench/ (DJANGO_SETTINGS_MODULE=bench.settings); the product never loads it.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
