from django.db import migrations

# Expression indexes matching SearchVector(<column>, config="english"), which is what
# forums.selectors.search filters on. SQLite has no GIN indexes; there search matches the columns.
INDEXES = {
    "forum_thread_title_fts": "forums_thread USING gin (to_tsvector('english'::regconfig, COALESCE(title, '')))",
    "forum_post_body_fts": "forums_post USING gin (to_tsvector('english'::regconfig, COALESCE(body, '')))",
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
    dependencies = [("forums", "0001_initial")]
    operations = [migrations.RunPython(create_indexes, drop_indexes)]
