from django.db import migrations, models


def skill_statistics(apps, schema_editor):
    # One most-common-values entry per skill (up to 1,000 skills) instead of the default 100, so the
    # planner knows how many members hold the skill a directory filter names: it walks the name
    # index for a popular skill and sorts the few holders of a rare one.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE members_memberskill ALTER COLUMN skill_id SET STATISTICS 1000")
        schema_editor.execute("ANALYZE members_memberskill")


def default_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE members_memberskill ALTER COLUMN skill_id SET STATISTICS -1")


class Migration(migrations.Migration):
    dependencies = [("members", "0003_reciprocity_ledger")]
    operations = [
        migrations.AddIndex(
            model_name="member",
            index=models.Index(fields=["id"], condition=models.Q(is_active=True), name="member_active_idx"),
        ),
        migrations.RunPython(skill_statistics, default_statistics),
    ]
