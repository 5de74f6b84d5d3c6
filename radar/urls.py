from django.urls import path

from radar import views

urlpatterns = [
    path("suggestions/<int:pk>/accept/", views.suggestion_accept, name="radar_suggestion_accept"),
    path("suggestions/<int:pk>/reject/", views.suggestion_reject, name="radar_suggestion_reject"),
    path("articles/<int:pk>/rescan/", views.article_rescan, name="radar_article_rescan"),
    path("scans/<int:pk>/", views.scan_progress, name="radar_scan_progress"),
]
