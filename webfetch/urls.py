from django.urls import path

from webfetch import views

urlpatterns = [
    path("desk/web/", views.web_import, name="web_import"),
    path("desk/web/imports/<int:pk>/", views.web_import_progress, name="web_import_progress"),
    path("desk/feeds/", views.feed_list, name="feed_list"),
    path("desk/archive/<int:pk>/", views.snapshot_desk, name="evidence_snapshot"),
]
