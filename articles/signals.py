"""Signals ``articles`` sends for apps that build on it (which ``articles`` never imports)."""

from django.dispatch import Signal

# Sent after articles arrived, by any way they arrive (the file import and the admin's
# upload: articles.importing), once the articles are stored; ``article_ids``: the new ones.
# The claim radar scans them (radar.signals).
articles_imported = Signal()
