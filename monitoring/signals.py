"""What monitoring tells the apps above it (crisis) without importing them: they connect in
their AppConfig.ready.

- `alert_opened(alert)`: a new alert was announced (sent by the announcement task after the
  alert committed, inside that task's transaction; a redelivered task may send it twice for
  the same alert, so receivers keep it once).
"""

from django.dispatch import Signal

alert_opened = Signal()
