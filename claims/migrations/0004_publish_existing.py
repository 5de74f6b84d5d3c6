"""Fact checks approved before revisions existed: publish each one's current state as its
first revision (what the public was reading), and keep each verdict's current text as its
first saved version."""

from html import unescape

from django.db import migrations
from django.utils.html import strip_tags


def _url(url):
    return url if url.lower().startswith(("http://", "https://")) else ""


def forwards(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    Verdict = apps.get_model("claims", "Verdict")
    Annotation = apps.get_model("claims", "Annotation")
    Revision = apps.get_model("claims", "PublishedRevision")
    Version = apps.get_model("claims", "VerdictVersion")

    for verdict in Verdict.objects.all().iterator():
        Version.objects.create(
            verdict=verdict,
            number=1,
            rating=verdict.rating,
            summary=verdict.summary,
            correction_note=verdict.correction_note,
            evidence=[
                {"url": e.url, "title": e.title, "publisher": e.publisher, "note": e.note}
                for e in verdict.evidence.order_by("position", "id")
            ],
            saved_by_id=verdict.last_edited_by_id,
            saved_at=verdict.updated_at,
        )

    for claim in Claim.objects.filter(verdicts__status="approved").distinct().iterator():
        approved = Verdict.objects.filter(claim=claim, status="approved")
        verdict = approved.order_by("-approved_at", "-pk").first()
        first = approved.order_by("approved_at", "pk").first()
        articles = {}
        annotations = (
            Annotation.objects.filter(claim=claim, orphaned=False)
            .select_related("article__outlet")
            .order_by("article__published_on", "article_id", "start", "id")
        )
        for a in annotations:
            entry = articles.setdefault(
                a.article_id,
                {
                    "outlet": a.article.outlet.name if a.article.outlet_id else "",
                    "title": a.article.title,
                    "published_on": a.article.published_on.isoformat()
                    if a.article.published_on
                    else None,
                    "url": _url(a.article.url),
                    "language": a.article.language,
                    "quotes": [],
                },
            )
            entry["quotes"].append({"quote": a.exact, "stance": a.stance})
        appearances = list(articles.values())
        revision = Revision.objects.create(
            claim=claim,
            number=1,
            verdict=verdict,
            slug=claim.slug,
            statement=claim.statement,
            claimant=claim.claimant,
            rating=verdict.rating,
            summary_html=verdict.summary_html,
            summary_text=" ".join(unescape(strip_tags(verdict.summary_html)).split()),
            correction_note=verdict.correction_note,
            evidence=[
                {"url": e.url, "title": e.title, "publisher": e.publisher, "note": e.note}
                for e in verdict.evidence.order_by("position", "id")
            ],
            appearances=appearances,
            outlet_count=len({a["outlet"] for a in appearances if a["outlet"]}),
            published_by_id=verdict.reviewer_id,
            published_at=verdict.approved_at,
            first_published_at=first.approved_at,
        )
        Claim.objects.filter(pk=claim.pk).update(published_revision=revision)


class Migration(migrations.Migration):
    dependencies = [("claims", "0003_published_revisions")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
