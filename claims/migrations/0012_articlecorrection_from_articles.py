"""ArticleCorrection, moved here from ``articles`` (which deletes it from its state in
articles 0006, after this): the model in state only, on the table it always had, so existing
rows stay as they are. Its content type is relabelled, so its permissions, the groups that
hold them and the admin's log entries follow it.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MODEL = "articlecorrection"


def relabel(from_label: str, to_label: str):
    def run(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        types = ContentType.objects.using(schema_editor.connection.alias)
        # A database where post_migrate already made the new one keeps both; the old one is
        # then stale (manage.py remove_stale_contenttypes).
        if not types.filter(app_label=to_label, model=MODEL).exists():
            types.filter(app_label=from_label, model=MODEL).update(app_label=to_label)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_article_desk_order_index"),
        ("claims", "0011_comment_verdict"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ArticleCorrection",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("previous_body", models.TextField()),
                        ("reason", models.TextField()),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("kept", models.PositiveIntegerField(default=0)),
                        ("moved", models.PositiveIntegerField(default=0)),
                        ("reanchored", models.PositiveIntegerField(default=0, help_text="Re-anchored with changes: a small edit inside the quote.")),
                        ("orphaned", models.PositiveIntegerField(default=0, help_text="Their words are gone.")),
                        ("ambiguous", models.PositiveIntegerField(default=0, help_text="Orphaned because several places fit equally well.")),
                        ("article", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="corrections", to="articles.article")),
                        ("author", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "articles_articlecorrection",
                        "ordering": ["-created_at", "-id"],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel("articles", "claims"), relabel("claims", "articles")),
    ]
