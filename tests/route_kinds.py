"""What an anonymous visitor gets from a route (tests/test_routes.py)."""

PUBLIC = "public"
LOGIN = "login"  # redirected to the sign-in page
API = "api"  # 401/403 from DRF
TOKEN = "token"  # a 404 to anyone without a valid signed token in the URL (calendar feeds)
CLOSED = "closed"  # 401/403 to everyone without its own credentials (metrics: a token)
