from django.db import migrations

# Posts arrive in time order, so a BRIN index on `created` is a few pages that inserts barely touch,
# and serves the date-range scans of the metrics rollups and plans ("posts of the last few days")
# without a B-tree that every reply would maintain. SQLite has no BRIN: the demo's tables are small.
INDEX = "CREATE INDEX IF NOT EXISTS post_created_brin ON forums_post USING brin (created)"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEX)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS post_created_brin")


class Migration(migrations.Migration):
    dependencies = [("forums", "0004_protect_authors")]
    operations = [migrations.RunPython(create_index, drop_index)]
