from django.db import migrations


def create_gin_index(apps, schema_editor):
    # SQLite has no GIN indexes; there the directory searches the columns instead.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS member_search_document_gin "
            "ON members_member USING gin (search_document)"
        )


def drop_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS member_search_document_gin")


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]
    operations = [migrations.RunPython(create_gin_index, drop_gin_index)]
