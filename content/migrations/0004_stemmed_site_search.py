from django.db import migrations

FTS = "wagtailsearch_indexentry_fts"
ENTRIES = "wagtailsearch_indexentry"


def _rebuild_fts(schema_editor, tokenize: str) -> None:
    """Wagtail's SQLite index is an FTS5 table without a tokenizer option: "welcome" never finds
    "welcoming". Recreated with the Porter stemmer (over unicode61, accents folded) and refilled
    from the index entries; its triggers name the table, so they keep feeding the new one."""
    if schema_editor.connection.vendor != "sqlite":
        return  # PostgreSQL stems through WAGTAILSEARCH_BACKENDS' SEARCH_CONFIG
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [FTS])
        if cursor.fetchone() is None:
            return  # no FTS5 in this SQLite: Wagtail falls back to a plain match
        cursor.execute(f"DROP TABLE {FTS}")
        cursor.execute(f"CREATE VIRTUAL TABLE {FTS} USING fts5(autocomplete, body, title{tokenize})")
        cursor.execute(
            f"INSERT INTO {FTS} (rowid, title, body, autocomplete) SELECT id, title, body, autocomplete FROM {ENTRIES}"
        )


def stem(apps, schema_editor):
    _rebuild_fts(schema_editor, ", tokenize = 'porter unicode61 remove_diacritics 2'")


def unstem(apps, schema_editor):
    _rebuild_fts(schema_editor, "")


class Migration(migrations.Migration):
    dependencies = [("content", "0003_scheduled_pages_index"), ("wagtailsearch", "0010_add_text_fields")]
    operations = [migrations.RunPython(stem, unstem)]
