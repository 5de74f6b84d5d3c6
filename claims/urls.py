from django.urls import path

from claims.views import annotate, claims, public, review

urlpatterns = [
    # Public pages (no account). The feed comes before the slug so "feed" is never a claim.
    path("", public.home, name="home"),
    path("claims/feed/", public.LatestFactChecksFeed(), name="claims_feed"),
    path("claims/<slug:slug>/", public.claim_public, name="claim_public"),
    # The annotation desk.
    path("desk/articles/<int:pk>/", annotate.article_detail, name="article_detail"),
    path(
        "desk/articles/<int:pk>/annotations.jsonld",
        annotate.article_annotations_jsonld,
        name="article_annotations_jsonld",
    ),
    # Claims, verdicts and review.
    path("desk/claims/", claims.claim_list, name="claim_list"),
    path("desk/claims/<int:pk>/", claims.claim_detail, name="claim_detail"),
    path("desk/review/", review.review, name="review"),
]
