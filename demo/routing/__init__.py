"""Demo customer questions for seed_demo: seed examples per department, a trained router,
and about forty questions in every state, spread over the last two weeks.

Safe to run again: questions are keyed by (channel, external id), so a second run adds
nothing. Everything goes through routing.services, like real traffic.

By part: router (the seed examples, off-topic ones included, and the router trained on
them), questions (the questions, their customers and the experts' answers, as data), seed
(seed_questions: each question received, then moved to its state as people would).
seed_demo and bench/ import from here: `from demo.routing import seed_questions, SEEDS`.
"""

from .questions import ANSWERS, CUSTOMERS, QUESTIONS
from .router import OFF_TOPIC, SEEDS, seed_router
from .seed import seed_questions

__all__ = [
    "ANSWERS",
    "CUSTOMERS",
    "OFF_TOPIC",
    "QUESTIONS",
    "SEEDS",
    "seed_questions",
    "seed_router",
]
