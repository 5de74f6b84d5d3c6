"""Whether a claimant is a person or an organisation (blank: not said, ClaimReview guesses
from the name), on claims and copied into each published revision."""

from django.db import migrations, models

CHOICES = [("person", "Person"), ("organization", "Organization")]


class Migration(migrations.Migration):
    dependencies = [("claims", "0008_public_pages")]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="claimant_type",
            field=models.CharField(blank=True, choices=CHOICES, default="", max_length=12),
        ),
        migrations.AddField(
            model_name="publishedrevision",
            name="claimant_type",
            field=models.CharField(blank=True, choices=CHOICES, default="", max_length=12),
        ),
    ]
