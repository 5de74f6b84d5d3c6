from django.urls import path

from public import views
from public.api import api

urlpatterns = [
    path("api/", views.api_docs, name="api_docs"),
    path("api/v1/", api.urls),
    path("claims/feed.jsonld", views.claim_review_feed, name="claim_review_feed"),
    path("oembed", views.oembed, name="oembed"),
]

# The embeddable card is read by people: one language per address, like the public pages.
public_urlpatterns = [
    path("claims/<slug:slug>/embed/", views.embed, name="claim_embed"),
]
