"""Data migrations write to the database being migrated.

With a read replica configured, Django migrates each database in turn; a RunPython step that
reads through the default manager follows the router instead and touches the wrong database
(stop 23's CI: the replica's migration read `crisis_incident.alert_number` from the primary,
where that column had already gone). Every step that uses the ORM names
`schema_editor.connection.alias`.
"""

import inspect

from django.db import migrations
from django.db.migrations.loader import MigrationLoader


def _data_steps():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for (app, name), migration in loader.disk_migrations.items():
        if migration.__module__.split(".")[0] != app:
            continue  # Django's and third-party apps' own migrations
        for operation in migration.operations:
            if isinstance(operation, migrations.RunPython):
                for code in (operation.code, operation.reverse_code):
                    if code and code is not migrations.RunPython.noop:
                        yield f"{app}.{name}.{code.__name__}", inspect.getsource(code)


def test_there_are_data_migrations_to_check():
    assert any(".objects" in source for _, source in _data_steps())


def test_every_data_migration_uses_the_database_being_migrated():
    wrong = [
        where
        for where, source in _data_steps()
        if ".objects" in source and "schema_editor.connection.alias" not in source
    ]
    assert wrong == []
