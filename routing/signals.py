"""What routing offers the apps above it (monitoring, crisis) without importing them.

- `question_received`: a Django signal sent inside the intake transaction, once per new
  question, after it is classified and before its SLA clock starts and an expert is picked.
  Keyword arguments: `question` (the CustomerQuestion: saved, with its id, its department
  decided but not saved yet) and `now`. A receiver may raise `question.priority` (routing
  then starts the clock for the new priority and saves the row); anything it writes is part
  of the intake transaction (a failure rolls the question back too), so receivers keep to a
  fixed number of queries and leave slow work to a task enqueued on commit.
- `register_question_panel(name, build)`: a box on the question page. `build(viewer,
  question)` returns None (nothing to show) or a dict {"title": str, "lines": [str, ...]}
  of plain text (escaped by the template); it must cost a fixed number of queries and
  show only what `viewer` may read.
"""

from collections.abc import Callable

from django.dispatch import Signal

question_received = Signal()

QuestionPanel = Callable[[object, object], dict | None]
_panels: dict[str, QuestionPanel] = {}


def register_question_panel(name: str, build: QuestionPanel) -> None:
    """Add (or replace, for the same name) a panel on the question page."""
    _panels[name] = build


def question_panels(viewer, question) -> list[dict]:
    """The panels for `question` as `viewer` may see them, in registration order."""
    panels = []
    for build in _panels.values():
        panel = build(viewer, question)
        if panel:
            panels.append(panel)
    return panels
