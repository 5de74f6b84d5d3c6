"""Public pages about the desk (about, methodology, rating scale), editable by admins in
Markdown; seeded with default text that each newsroom should adapt."""

from django.db import migrations, models

ABOUT = """\
We check what news outlets report: the words that carry a claim, where each report
stands on it, and what the evidence says.

Every fact check on this site is written by one member of our desk and approved by a
second, who may not have worked on it. What you read is exactly what the two of them
approved; when we change a fact check later, the page says so and keeps a dated log of
the update.

## Contact

To point out an error, or a report we missed, write to the desk. We answer every
correction request and publish the corrections we make.
"""

METHODOLOGY = """\
## How we choose claims

We read reports on a story across outlets and languages and highlight the exact words
that carry a claim. A claim that several outlets repeat, attribute or dispute is a
candidate for a fact check.

## How we check

1. We trace the claim to its first appearance and to who made it.
2. We look for primary evidence: official statements, documents, recordings, data.
3. We ask the people and bodies concerned when they can confirm or deny it.
4. We write a verdict with a rating and link every piece of evidence we relied on.

## Review

A second person on the desk reviews every verdict before it is published. Nobody may
approve or publish a fact check they wrote or changed.

## Corrections

When new evidence changes a verdict, we publish an update: the fact check shows the date,
what changed and why, and the earlier rating stays on record in the update log.
"""

RATINGS = """\
Each fact check carries one rating.

- **True**: the claim is accurate and nothing significant is missing.
- **Mostly true**: the claim is accurate but needs clarification or context.
- **Mixed**: the claim contains accurate and inaccurate parts in similar measure.
- **Mostly false**: the claim contains an element of truth but ignores facts that would
  give a different impression.
- **False**: the claim is not accurate.
- **Misleading**: the facts may be right, but they are presented so as to give a false
  impression.
- **Unproven**: there is not enough evidence to say whether the claim is true or false.
"""

PAGES = [
    ("about", "About us", "Who we are and how our fact checks are made.", ABOUT),
    ("methodology", "How we fact-check", "How we choose, check and review claims.", METHODOLOGY),
    ("ratings", "Our ratings", "What each of our ratings means.", RATINGS),
]


def seed(apps, schema_editor):
    import re

    from factcheck.sanitize import render_markdown

    Page = apps.get_model("claims", "Page")
    for slug, title, description, body in PAGES:
        Page.objects.get_or_create(
            slug=slug,
            defaults={
                "title": title,
                "description": description,
                "body": body,
                "body_html": re.sub(r"<(/?)h3>", r"<\1h2>", render_markdown(body)),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("claims", "0007_teamwork")]

    operations = [
        migrations.CreateModel(
            name="Page",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("slug", models.SlugField(choices=[("about", "About"), ("methodology", "Methodology"), ("ratings", "Rating scale")], max_length=40, unique=True)),
                ("title", models.CharField(max_length=200)),
                ("description", models.CharField(blank=True, help_text="One sentence for search engines and link previews.", max_length=300)),
                ("body", models.TextField(help_text="Markdown.")),
                ("body_html", models.TextField(blank=True, editable=False)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={"ordering": ["slug"]},
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
