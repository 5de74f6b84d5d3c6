"""webfetch's public page, one language per address like the fact check that links it:
factcheck/urls.py includes it in i18n_patterns (by name: factcheck imports no webfetch
module, tests/webfetch/test_layout.py)."""

from django.urls import path

from webfetch import views

urlpatterns = [
    # Public on purpose: the archived copy of a published fact check's evidence.
    path("archive/<int:pk>/", views.snapshot_public, name="evidence_snapshot_public"),
]
