"""Signals ``articles`` sends for apps that build on it (which ``articles`` never imports)."""

from django.dispatch import Signal

# The one hook after an import (articles.importing, every way articles arrive: files, the
# admin's upload, URLs and feeds): sent once for every group of articles stored together (a
# chunk, or one file on the file-by-file path), after its transaction has committed, with
# ``batch`` (the ImportBatch) and ``articles`` (the new Article rows, texts deferred). The
# claim radar scans them (radar.signals); the import knows nothing of it.
articles_imported = Signal()
