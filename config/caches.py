"""CACHES for config/data.py: Redis with REDIS_URL, else each process's own memory."""

import environ


def caches(env: environ.Env, *, redis_url: str) -> dict:
    """CACHES; with Redis, its keys start with CACHE_KEY_PREFIX."""
    if not redis_url:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    return {
        "default": {
            # Django's, keeping one Redis client per connection pool (core/cache.py).
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="socialhub"),
        }
    }
