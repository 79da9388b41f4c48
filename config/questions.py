"""The settings of customer questions (config/settings.py lists them): their routing (the
social-listening webhook, business hours, crisis mode, the router and its nightly
retraining), the knowledge they become, and listening (surge detection over them)."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from config.environment import TESTING, VAR_DIR, env

# --- Customer question routing --------------------------------------------------------

# Shared secret of the social-listening webhook (HMAC-SHA256); empty refuses every delivery.
ROUTING_WEBHOOK_SECRET = env.str("ROUTING_WEBHOOK_SECRET", default="")
ROUTING_WEBHOOK_TOLERANCE_SECONDS = env.int("ROUTING_WEBHOOK_TOLERANCE_SECONDS", default=300)
ROUTING_EXPERT_CAPACITY = env.int("ROUTING_EXPERT_CAPACITY", default=5)
ROUTING_BUSINESS_HOURS = env.str("ROUTING_BUSINESS_HOURS", default="09:00-17:00")
ROUTING_BUSINESS_DAYS = env.str("ROUTING_BUSINESS_DAYS", default="12345")
ROUTING_BUSINESS_TIMEZONE = env.str(
    "ROUTING_BUSINESS_TIMEZONE", default=env.str("TIME_ZONE", default="UTC")
)
# Incidents of this severity or above switch on crisis mode while open (low, medium, high,
# critical).
CRISIS_MODE_SEVERITY = env.str("CRISIS_MODE_SEVERITY", default="high")
if CRISIS_MODE_SEVERITY not in ("low", "medium", "high", "critical"):
    raise ImproperlyConfigured("CRISIS_MODE_SEVERITY must be low, medium, high or critical.")
ROUTING_CONNECTOR = env.str("ROUTING_CONNECTOR", default="routing.connectors.LoggingConnector")
ROUTING_ROUTER_CHECK_SECONDS = env.float("ROUTING_ROUTER_CHECK_SECONDS", default=5)
# Sentence embeddings in newly trained routers (routing/ml/embedder.py; the model is a
# dependency): "on" uses them and fails with the reason when the model cannot be used, "auto"
# falls back to TF-IDF then, "off" trains TF-IDF-only routers.
ROUTING_EMBEDDINGS = env.str("ROUTING_EMBEDDINGS", default="on")
if ROUTING_EMBEDDINGS not in ("auto", "on", "off"):
    raise ImproperlyConfigured("ROUTING_EMBEDDINGS must be auto, on or off.")
# Where the embedding model, quantised once per machine, is cached.
ROUTING_MODEL_DIR = Path(env.str("ROUTING_MODEL_DIR", default=str(VAR_DIR / "models")))
ROUTING_INTAKE_RATE = env.str("ROUTING_INTAKE_RATE", default="6000/min")
# Intake routes each question in a task after commit; the beat routes those still new this
# long after they were stored (their task was lost with the broker or a worker).
ROUTING_NEW_SWEEP_SECONDS = env.float("ROUTING_NEW_SWEEP_SECONDS", default=30.0)
# The router keeps learning (routing.training.retrain_router): every night at this hour a
# challenger is trained and activated only if it is not worse than the active version on the
# most recent labels it did not train on: ROUTING_HOLDOUT_FRACTION of them, at least
# ROUTING_HOLDOUT_MIN (fewer labels than twice that: activated without a comparison);
# "not worse": its share right at least the active one's minus ROUTING_CHALLENGER_TOLERANCE.
ROUTING_RETRAIN_HOUR = env.int("ROUTING_RETRAIN_HOUR", default=2)
ROUTING_HOLDOUT_FRACTION = env.float("ROUTING_HOLDOUT_FRACTION", default=0.2)
ROUTING_HOLDOUT_MIN = env.int("ROUTING_HOLDOUT_MIN", default=20)
ROUTING_CHALLENGER_TOLERANCE = env.float("ROUTING_CHALLENGER_TOLERANCE", default=0.0)
if not 0 < ROUTING_HOLDOUT_FRACTION < 1 or ROUTING_HOLDOUT_MIN < 1:
    raise ImproperlyConfigured(
        "ROUTING_HOLDOUT_FRACTION must be between 0 and 1, ROUTING_HOLDOUT_MIN at least 1."
    )

# --- Knowledge ------------------------------------------------------------------------

# How often (seconds) a process asks whether its similarity indexes are stale (a small query
# per kind): a new entry waits at most this long to be suggested. 0: on every question page.
KNOWLEDGE_INDEX_CHECK_SECONDS = env.float(
    "KNOWLEDGE_INDEX_CHECK_SECONDS", default=0.0 if TESTING else 5.0
)
# A knowledge similarity index over this many texts or more is rebuilt in a background thread
# when it goes stale (the stale one answers meanwhile); a smaller one in the request.
KNOWLEDGE_INDEX_BACKGROUND_FROM = env.int("KNOWLEDGE_INDEX_BACKGROUND_FROM", default=2000)

# --- Listening (monitoring) -----------------------------------------------------------

# The surge scan (monitoring.services.scan): how often, the windows it counts in (minutes),
# the baseline (same hour of the week over this many weeks once a key has at least
# MONITORING_SEASONAL_MIN_WEEKS of them, else the larger of two EWMAs: of its hourly counts
# over the last MONITORING_EWMA_HOURS (weight MONITORING_EWMA_ALPHA) and of this hour of the
# day over the last MONITORING_EWMA_DAYS (weight MONITORING_EWMA_DAILY_ALPHA)), and the test:
# an alert opens
# when P(X >= count | baseline) < MONITORING_SURGE_P and count >= MONITORING_MIN_COUNT, and
# resolves when every window is back above MONITORING_RESOLVE_P. The baseline never expects
# fewer than MONITORING_MIN_EXPECTED questions per window.
MONITORING_SCAN_SECONDS = env.float("MONITORING_SCAN_SECONDS", default=60.0)
MONITORING_WINDOWS = [int(w) for w in env.list("MONITORING_WINDOWS", default=["15", "60"])]
MONITORING_BASELINE_WEEKS = env.int("MONITORING_BASELINE_WEEKS", default=4)
MONITORING_SEASONAL_MIN_WEEKS = env.int("MONITORING_SEASONAL_MIN_WEEKS", default=2)
MONITORING_EWMA_HOURS = env.int("MONITORING_EWMA_HOURS", default=48)
MONITORING_EWMA_ALPHA = env.float("MONITORING_EWMA_ALPHA", default=0.1)
MONITORING_EWMA_DAYS = env.int("MONITORING_EWMA_DAYS", default=14)
MONITORING_EWMA_DAILY_ALPHA = env.float("MONITORING_EWMA_DAILY_ALPHA", default=0.3)
MONITORING_SURGE_P = env.float("MONITORING_SURGE_P", default=1e-3)
MONITORING_RESOLVE_P = env.float("MONITORING_RESOLVE_P", default=0.05)
MONITORING_MIN_COUNT = env.int("MONITORING_MIN_COUNT", default=5)
MONITORING_MIN_EXPECTED = env.float("MONITORING_MIN_EXPECTED", default=1.0)
# A question whose VADER compound sentiment is at or below this is a detractor: its priority
# goes up one step before its SLA clock starts.
MONITORING_DETRACTOR_THRESHOLD = env.float("MONITORING_DETRACTOR_THRESHOLD", default=-0.5)
# A scan also runs after an intake, at most this often (0: only on the schedule; tests keep
# it off so that their questions never open a surge alert they did not ask for).
MONITORING_SCAN_ON_INTAKE_SECONDS = env.float(
    "MONITORING_SCAN_ON_INTAKE_SECONDS", default=0.0 if TESTING else 10.0
)
# How often a process checks whether the watch rules changed (a cache get).
MONITORING_RULES_CHECK_SECONDS = env.float("MONITORING_RULES_CHECK_SECONDS", default=5.0)
