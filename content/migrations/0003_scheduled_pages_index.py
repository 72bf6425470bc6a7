from django.db import migrations


class Migration(migrations.Migration):
    """“Coming up” on the home page reads the pages scheduled to go live: a small partial index on
    Wagtail's page table finds them without scanning every page."""

    dependencies = [("content", "0002_articlepage_article_featured_idx"), ("wagtailcore", "0001_initial")]
    operations = [
        migrations.RunSQL(
            "CREATE INDEX content_page_scheduled_idx ON wagtailcore_page (go_live_at) "
            "WHERE NOT live AND go_live_at IS NOT NULL",
            "DROP INDEX content_page_scheduled_idx",
        )
    ]
