from django.db import migrations


def first_names(apps, schema_editor):
    """Wagtail's admin greets editors by first name: fill it from the names members already gave
    (Member.save keeps it so from now on)."""
    Member = apps.get_model("members", "Member")
    for member in Member.objects.exclude(display_name="").only("pk", "display_name").iterator():
        Member.objects.filter(pk=member.pk).update(first_name=(member.display_name.split() or [""])[0][:150])


class Migration(migrations.Migration):
    dependencies = [("content", "0004_stemmed_site_search"), ("members", "0009_audit_entries_protect_ledger")]
    operations = [migrations.RunPython(first_names, migrations.RunPython.noop)]
