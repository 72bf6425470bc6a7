from django.db import migrations

# The ledger is appended in time order, so BRIN indexes on `created` (and on `acknowledged_at`, which
# follows it by hours) are a few pages that record_give barely touches, and serve the date-range
# scans of the metrics rollups and the plans' outreach lists. SQLite has no BRIN: the demo is small.
INDEXES = {
    "give_created_brin": "members_give USING brin (created)",
    "give_acknowledged_brin": "members_give USING brin (acknowledged_at)",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, definition in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("members", "0013_audit_plan_actions")]
    operations = [migrations.RunPython(create_indexes, drop_indexes)]
