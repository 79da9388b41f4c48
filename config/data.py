"""The data settings (config/settings.py lists them): the database and its read replica,
Redis, the channel layer and the cache. config/databases.py, config/channel_layers.py and
config/caches.py build the longer values."""

from config.caches import caches
from config.channel_layers import channel_layers
from config.databases import databases
from config.environment import TESTING, VAR_DIR, env

# --- Data -----------------------------------------------------------------------------

# The hottest reads (core/compiled.py: the API token, the home feed page, knowledge
# suggestions) are prepared statements on each PostgreSQL connection, planned once per
# connection. Off for a transaction-pooling PgBouncer older than 1.21 (README, "Production").
DATABASE_PREPARED_STATEMENTS = env.bool("DATABASE_PREPARED_STATEMENTS", default=True)
# A read replica (README, "Read replicas"): feed, search and directory reads of web requests
# go to it; writes, and reads that must see a write, stay on the primary (core/replicas.py).
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
# The apps whose reads may be served by the replica: feeds (feeds and search), people (the
# directory).
DATABASE_REPLICA_APPS = env.list("DATABASE_REPLICA_APPS", default=["feeds", "people"])
# After a client writes, its reads stay on the primary this long (the replica's worst lag).
DATABASE_REPLICA_PIN_SECONDS = env.int("DATABASE_REPLICA_PIN_SECONDS", default=5)
# From DATABASE_URL: a SQLite file in VAR_DIR when unset (config/databases.py).
DATABASES = databases(
    env,
    var_dir=VAR_DIR,
    testing=TESTING,
    prepared_statements=DATABASE_PREPARED_STATEMENTS,
    replica_url=DATABASE_REPLICA_URL,
)
DATABASE_ROUTERS: list[str] = []
if DATABASE_REPLICA_URL:
    # With its middleware first in MIDDLEWARE (config/application.py).
    DATABASE_ROUTERS = ["core.replicas.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")

# pubsub: one PUBLISH per group whatever its size; it delivered an All-company post to 1,000
# sockets faster than core in bench/realtime.py (README, "Live updates").
CHANNEL_LAYER = env.str("CHANNEL_LAYER", default="pubsub")
# Redis with REDIS_URL, else in memory (config/channel_layers.py, config/caches.py).
CHANNEL_LAYERS = channel_layers(env, redis_url=REDIS_URL, layer=CHANNEL_LAYER)
CACHES = caches(env, redis_url=REDIS_URL)

# An open WebSocket re-reads its user and session from the database at most this often, and
# only while events arrive for it: the backstop if an access.changed message is lost (the
# wire is best effort). Deactivation, sign-out, password and role changes close or re-scope
# sockets at once through that message (feeds/consumers.py).
SOCKET_REVALIDATE_SECONDS = env.float("SOCKET_REVALIDATE_SECONDS", default=30.0)
