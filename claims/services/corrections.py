"""Corrections of an article's text: the new text, its history, and every highlight
re-anchored (claims.anchoring) in the same transaction.

A correction never deletes an annotation and never changes how many there are: each one is
kept, moved, or marked orphaned. An annotation that was already orphaned stays orphaned
unless its quote is found again, unique and among the same words (then it moves back).
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, ArticleCorrection
from articles.text import content_hash, normalize_text
from claims.anchoring import Anchor, OffsetMap, reanchor
from claims.models import Annotation, AnnotationChange, Claim
from claims.services.annotations import snapshot


class StaleArticle(ValidationError):
    """The text changed since the form was opened."""


STALE = (
    "Someone else changed this article's text while you were editing. Your text is below; "
    "compare it with the current version and save again."
)


@transaction.atomic
def article_correct(
    *, article: Article, user, new_text: str, reason: str, expected_hash: str | None = None
) -> ArticleCorrection:
    """Replace ``article``'s text with ``new_text`` and re-anchor its annotations.

    ``expected_hash`` is the content hash the editor's form was built from; a different
    current hash means someone corrected the text meanwhile (StaleArticle).
    """
    article = Article.objects.select_for_update().get(pk=article.pk)
    if expected_hash is not None and expected_hash != article.content_hash:
        raise StaleArticle(STALE)
    new_body = normalize_text(new_text or "")
    reason = (reason or "").strip()
    if not new_body.strip():
        raise ValidationError("The corrected text is empty.")
    if not reason:
        raise ValidationError("Give a reason for the correction.")
    if new_body == article.body:
        raise ValidationError("The text is unchanged: there is nothing to correct.")
    duplicate = (
        Article.objects.filter(content_hash=content_hash(new_body)).exclude(pk=article.pk).first()
    )
    if duplicate is not None:
        raise ValidationError(
            f"This text is exactly the text of another article, “{duplicate}” "
            f"(#{duplicate.pk}); an article's text must be unique."
        )

    old_body = article.body
    correction = ArticleCorrection(
        article=article, previous_body=old_body, reason=reason, author=user
    )
    offsets = OffsetMap(old_body, new_body)
    now = timezone.now()
    changed, history = [], []
    annotations = list(
        Annotation.objects.select_for_update(of=("self",))
        .filter(article=article)
        .select_related("claim")
        .order_by("pk")
    )
    for annotation in annotations:
        result = reanchor(
            Anchor(
                annotation.start,
                annotation.end,
                annotation.exact,
                annotation.prefix,
                annotation.suffix,
            ),
            new_body,
            offsets=offsets,
            old_body=old_body,
            was_orphaned=annotation.orphaned,
        )
        before = snapshot(annotation)
        if result.outcome == "orphaned":
            correction.orphaned += 1
            if annotation.orphaned:
                continue  # still lost: nothing changed
            annotation.orphaned = True
            action = AnnotationChange.Action.ORPHANED
        else:
            new = result.anchor
            if result.outcome == "kept":
                correction.kept += 1
            else:
                correction.moved += 1
            same_place = (new.start, new.end) == (annotation.start, annotation.end)
            annotation.start, annotation.end = new.start, new.end
            annotation.prefix, annotation.suffix = new.prefix, new.suffix
            if result.outcome == "kept" and same_place:
                # Same words, same place; only the context may have been refreshed.
                changed.append(annotation)
                continue
            annotation.orphaned = False
            action = AnnotationChange.Action.MOVED
        annotation.updated_at = now
        changed.append(annotation)
        after = snapshot(annotation)
        if result.reason:
            after["reason"] = result.reason
        history.append(
            AnnotationChange(
                annotation=annotation,
                annotation_key=annotation.pk,
                article=article,
                action=action,
                user=user,
                at=now,
                before=before,
                after=after,
            )
        )

    article.body = new_body
    try:
        with transaction.atomic():
            article.save(update_fields=["body", "updated_at"])
    except IntegrityError:
        # Another article got this very text after the check above (an import, a correction).
        raise ValidationError(
            "This text is exactly the text of another article; an article's text must be unique."
        ) from None
    correction.save()
    Annotation.objects.bulk_update(
        changed, ["start", "end", "prefix", "suffix", "orphaned", "updated_at"], batch_size=500
    )
    AnnotationChange.objects.bulk_create(history, batch_size=500)
    # bulk_update sends no signals: orphaned highlights leave their claims' reach here.
    Claim.objects.filter(pk__in={a.claim_id for a in changed}).refresh_reach()
    return correction
