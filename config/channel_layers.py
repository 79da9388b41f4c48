"""CHANNEL_LAYERS for config/data.py: channels-redis with REDIS_URL (CHANNEL_LAYER picks which
of its layers), else the in-memory layer of one process."""

import environ
from django.core.exceptions import ImproperlyConfigured

# CHANNEL_LAYER's values.
BACKENDS = {
    "core": "channels_redis.core.RedisChannelLayer",
    "pubsub": "channels_redis.pubsub.RedisPubSubChannelLayer",
}


def channel_layers(env: environ.Env, *, redis_url: str, layer: str) -> dict:
    """CHANNEL_LAYERS; with Redis, its keys start with CHANNEL_LAYER_PREFIX.

    `layer` (CHANNEL_LAYER) is checked even without Redis, so that a wrong value fails in
    development too.
    """
    if layer not in BACKENDS:
        raise ImproperlyConfigured(f"CHANNEL_LAYER must be one of {', '.join(BACKENDS)}.")
    if not redis_url:
        return {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    return {
        "default": {
            "BACKEND": BACKENDS[layer],
            "CONFIG": {
                # redis-py 8 changed two defaults that channels-redis relies on: reads time
                # out after 5 s (which kills the core layer's blocking BZPOPMIN on every idle
                # socket, django/channels_redis#422; its commands carry their own timeouts),
                # and a pool holds at most 100 connections (a thousand sockets leaving at once
                # after a restart raised MaxConnectionsError in bench/realtime.py).
                "hosts": [{"address": redis_url, "socket_timeout": None, "max_connections": 1000}],
                "prefix": env.str("CHANNEL_LAYER_PREFIX", default="socialhub"),
            },
        }
    }
