from django.urls import path

from claims.views import annotate, claims, corrections, desk, export, review, verdicts

urlpatterns = [
    # The annotation desk.
    path("desk/", desk.desk, name="desk"),
    path("desk/articles/<int:pk>/", annotate.article_detail, name="article_detail"),
    path(
        "desk/articles/<int:pk>/annotations.jsonld",
        export.article_annotations_jsonld,
        name="article_annotations_jsonld",
    ),
    path(
        "desk/articles/<int:pk>/correct/",
        corrections.article_correct_view,
        name="article_correct",
    ),
    path(
        "desk/articles/<int:pk>/annotations/",
        annotate.article_annotations,
        name="article_annotations",
    ),
    path(
        "desk/articles/<int:pk>/claims/",
        annotate.article_claim_groups,
        name="article_claim_groups",
    ),
    path(
        "desk/articles/<int:pk>/claims/<int:claim_pk>/highlights/",
        annotate.article_claim_highlights,
        name="article_claim_highlights",
    ),
    path("desk/annotations/<int:pk>/", annotate.annotation_detail, name="annotation_detail"),
    path("desk/annotations/<int:pk>/edit/", annotate.annotation_edit, name="annotation_edit"),
    path("desk/annotations/<int:pk>/delete/", annotate.annotation_delete, name="annotation_delete"),
    path(
        "desk/annotations/deleted/<int:pk>/restore/",
        annotate.annotation_restore,
        name="annotation_restore",
    ),
    path(
        "desk/annotations/<int:pk>/reattach/",
        annotate.annotation_reattach,
        name="annotation_reattach",
    ),
    path(
        "desk/annotations/<int:pk>/undo-reanchor/",
        annotate.annotation_undo_reanchor,
        name="annotation_undo_reanchor",
    ),
    path("desk/claims/suggest/", annotate.claim_suggest, name="claim_suggest"),
    # Claims, verdicts and review.
    path("desk/claims/", claims.claim_list, name="claim_list"),
    path("desk/claims/<int:pk>/", claims.claim_detail, name="claim_detail"),
    path("desk/claims/<int:pk>/publish/", claims.claim_publish, name="claim_publish"),
    path("desk/claims/<int:pk>/wordings/", claims.claim_wording, name="claim_wording"),
    path("desk/claims/<int:pk>/merge/", claims.claim_merge_view, name="claim_merge"),
    path("desk/claims/<int:pk>/assign/", claims.claim_assign_view, name="claim_assign"),
    path("desk/merges/<int:pk>/", claims.merge_record_view, name="merge_record"),
    path("desk/claims/<int:pk>/comments/", claims.comment_create_view, name="comment_create"),
    path("desk/claims/<int:pk>/verdict/", verdicts.verdict_edit, name="verdict_edit"),
    path("desk/verdicts/<int:pk>/submit/", verdicts.verdict_submit, name="verdict_submit"),
    path("desk/verdicts/<int:pk>/approve/", verdicts.verdict_approve, name="verdict_approve"),
    path(
        "desk/verdicts/<int:pk>/request-changes/",
        verdicts.verdict_request_changes,
        name="verdict_request_changes",
    ),
    path("desk/verdicts/<int:pk>/withdraw/", verdicts.verdict_withdraw, name="verdict_withdraw"),
    path(
        "desk/verdicts/<int:pk>/comments/",
        claims.verdict_comment_create_view,
        name="verdict_comment_create",
    ),
    path("desk/review/", review.review, name="review"),
    # Working together.
    path("desk/activity/", desk.activity, name="activity"),
    path("desk/preferences/", desk.preferences, name="preferences"),
]
