from django.urls import path

from webfetch import views

urlpatterns = [
    path("desk/web/", views.web_import, name="web_import"),
    path("desk/web/imports/<int:pk>/", views.web_import_progress, name="web_import_progress"),
    path("desk/feeds/", views.feed_list, name="feed_list"),
    path("desk/archive/<int:pk>/", views.snapshot_desk, name="evidence_snapshot"),
]

# Public on purpose: the archived copy of a published fact check's evidence, one language
# per address like the fact check that links it (factcheck/urls.py, i18n_patterns).
public_urlpatterns = [
    path("archive/<int:pk>/", views.snapshot_public, name="evidence_snapshot_public"),
]
