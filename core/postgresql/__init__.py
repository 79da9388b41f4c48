"""Django's PostgreSQL backend with a health check that costs no round trip when nothing has
happened on the connection (base.py). ENGINE "core.postgresql" (config/databases.py)."""
