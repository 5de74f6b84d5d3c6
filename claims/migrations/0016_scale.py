"""Each highlight keeps the quote in its sentence (``Annotation.context``), so the desk's
claim page lists a claim's appearances without reading article bodies. Existing highlights
get theirs here, an article at a time (each body read once)."""

from django.db import migrations, models

from claims.sentences import context_of

from articles.text import soft_breaks


def fill_contexts(apps, schema_editor):
    Annotation = apps.get_model("claims", "Annotation")
    Article = apps.get_model("articles", "Article")
    live = Annotation.objects.filter(orphaned=False)
    article_ids = live.values_list("article_id", flat=True).distinct().order_by("article_id")
    for article_id in article_ids.iterator():
        body = Article.objects.values_list("body", flat=True).get(pk=article_id)
        soft = soft_breaks(body)
        changed = []
        for annotation in live.filter(article_id=article_id).only("id", "start", "end"):
            annotation.context = context_of(body, annotation.start, annotation.end, soft=soft)
            changed.append(annotation)
        Annotation.objects.bulk_update(changed, ["context"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0015_radar"),
    ]

    operations = [
        migrations.AddField(
            model_name="annotation",
            name="context",
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.RunPython(fill_contexts, migrations.RunPython.noop, elidable=True),
    ]
