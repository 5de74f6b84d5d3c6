"""ArticleCorrection moved to ``claims``, which writes it (claims/services/corrections.py).

State only: the table ``articles_articlecorrection`` and its rows stay where they are; claims
0012 took the model over with the same ``db_table`` (and its content type). This runs after
it, so that the model is never missing from the state: the roles migration (claims 0002)
grants a permission on it by its old name.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_article_desk_order_index"),
        ("claims", "0012_articlecorrection_from_articles"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ArticleCorrection")],
            database_operations=[],
        ),
    ]
