"""Corrections of an article's text: the new text, its history, and every highlight
re-anchored (claims.anchoring) in the same transaction.

A correction never deletes an annotation and never changes how many there are: each one is
kept, moved, re-anchored with changes (a small edit inside its words: ``exact`` becomes the
new words), or marked orphaned (its words are gone, or several places fit: "ambiguous").
Every change but a refreshed context is recorded in the annotation's history, with the
outcome, the reason and, for a fuzzy re-anchoring, the score. An annotation that was already
orphaned stays orphaned unless its quote is found again, unique and among the same words.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone

from articles.models import Article, ArticleCorrection
from articles.text import content_hash, normalize_text
from claims.anchoring import Anchor, Reanchorer
from claims.models import Annotation, AnnotationChange, Claim
from claims.services.annotations import snapshot
from claims.services.publishing import mark_changed


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
    reanchorer = Reanchorer(old_body, new_body)
    now = timezone.now()
    changed, history = [], []
    annotations = list(
        Annotation.objects.select_for_update(of=("self",))
        .filter(article=article)
        .select_related("claim")
        .order_by("pk")
    )
    for annotation in annotations:
        result = reanchorer.reanchor(
            Anchor(
                annotation.start,
                annotation.end,
                annotation.exact,
                annotation.prefix,
                annotation.suffix,
            ),
            was_orphaned=annotation.orphaned,
        )
        # One counter per outcome, named alike: kept, moved, reanchored, orphaned, ambiguous.
        setattr(correction, result.outcome, getattr(correction, result.outcome) + 1)
        before = snapshot(annotation)
        if result.anchor is None:  # orphaned or ambiguous
            if annotation.orphaned:
                continue  # still lost: nothing changed
            annotation.orphaned = True
            action = AnnotationChange.Action.ORPHANED
        else:
            new = result.anchor
            fields = (new.start, new.end, new.exact, new.prefix, new.suffix, False)
            if fields == _anchor_fields(annotation):
                continue  # same words, same place, same context: nothing to write
            same_place = (new.start, new.end, new.exact) == (
                annotation.start,
                annotation.end,
                annotation.exact,
            )
            kept_in_place = result.outcome == "kept" and same_place and not annotation.orphaned
            annotation.start, annotation.end, annotation.exact = new.start, new.end, new.exact
            annotation.prefix, annotation.suffix = new.prefix, new.suffix
            annotation.orphaned = False
            if kept_in_place:
                # Only the context around the words was edited: refreshed, not a change of
                # the highlight worth a history entry.
                changed.append(annotation)
                continue
            if result.outcome == "reanchored":
                action = AnnotationChange.Action.REANCHORED
            else:
                action = AnnotationChange.Action.MOVED
        annotation.updated_at = now
        changed.append(annotation)
        after = snapshot(annotation)
        after["outcome"] = result.outcome
        if result.reason:
            after["reason"] = result.reason
        if result.score is not None:
            after["score"] = result.score
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
    for change in history:
        change.after["correction"] = correction.pk
    _write_anchors(changed)
    AnnotationChange.objects.bulk_create(history, batch_size=500)
    # What a published claim shows changed only where a highlight moved, got new words or
    # was orphaned: a proposal for review (claims.services.publishing).
    mark_changed({change.annotation.claim_id for change in history})
    # bulk_update sends no signals: orphaned highlights leave their claims' reach here.
    Claim.objects.filter(pk__in={a.claim_id for a in changed}).refresh_reach()
    return correction


ANCHOR_FIELDS = ("start", "end", "exact", "prefix", "suffix", "orphaned", "updated_at")


def _anchor_fields(annotation: Annotation) -> tuple:
    a = annotation
    return (a.start, a.end, a.exact, a.prefix, a.suffix, a.orphaned)


def _write_anchors(annotations: list[Annotation]) -> None:
    """Save the anchor fields of ``annotations``: one prepared UPDATE by primary key, sent
    with ``executemany``.

    ``bulk_update`` builds one CASE WHEN per field with a branch per row; for a thousand
    highlights compiling that costs far more than the re-anchoring. A prepared statement
    executed per row (batched by the driver: SQLite in-process, psycopg in pipeline mode) is
    cheap on both databases, and touches only the rows that changed.
    """
    if not annotations:
        return
    connection = connections[router.db_for_write(Annotation)]
    quote = connection.ops.quote_name
    fields = [Annotation._meta.get_field(name) for name in ANCHOR_FIELDS]
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    # Only model metadata is interpolated (quoted names); every value is a parameter.
    sql = (
        f"UPDATE {quote(Annotation._meta.db_table)} SET {assignments} "  # noqa: S608
        f"WHERE {quote(Annotation._meta.pk.column)} = %s"
    )
    rows = [
        [f.get_db_prep_save(getattr(a, f.attname), connection) for f in fields] + [a.pk]
        for a in annotations
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
