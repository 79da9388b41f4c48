"""What people tells the apps above it without importing them: they connect in their
AppConfig.ready (policies keeps the company audit log, /policies/audit/).

- `data_export_requested(actor, person, export)`: an admin asked for a copy of someone
  else's data (sent inside the request's transaction, so the audit row commits with it).
"""

from django.dispatch import Signal

data_export_requested = Signal()
