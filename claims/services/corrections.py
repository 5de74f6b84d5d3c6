"""Corrections of an article's text: the new text, its history, and every highlight
re-anchored (claims.anchoring) in the same transaction.

A correction never deletes an annotation and never changes how many there are: each one is
kept, moved, re-anchored with changes (a small edit inside its words: ``exact`` becomes the
new words), or marked orphaned (its words are gone, or several places fit: "ambiguous").
Every change but a refreshed context is recorded in the annotation's history, with the
outcome, the reason and, for a fuzzy re-anchoring, the score. An annotation that was already
orphaned stays orphaned unless its quote is found again, unique and among the same words.
"""

from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from articles.text import content_hash, normalize_text, soft_breaks
from claims.anchoring import Anchor, Reanchored, Reanchorer
from claims.models import Annotation, AnnotationChange, ArticleCorrection, Claim
from claims.sentences import context_of
from claims.services.history import history_entry, snapshot
from claims.services.publishing import mark_changed
from factcheck.errors import Refused, Stale
from factcheck.roles import User

STALE = _(
    "Someone else changed this article's text while you were editing. Your text is below; "
    "compare it with the current version and save again."
)
# What _place answers when only the context around the words changed: saved, not recorded.
REFRESHED = object()
DUPLICATE = _("This text is exactly the text of another article; an article's text must be unique.")


# Not durable: bench/correction.py times it inside a transaction it rolls back.
@transaction.atomic
def article_correct(
    *, article: Article, user: User, new_text: str, reason: str, expected_hash: str | None = None
) -> ArticleCorrection:
    """Replace ``article``'s text with ``new_text`` and re-anchor its annotations.

    ``expected_hash`` is the content hash the editor's form was built from; a different
    current hash means someone corrected the text meanwhile (``Stale``).
    """
    article = _locked_article(article, expected_hash)
    new_body, reason = _checked_text(article, new_text, reason)
    _lock_claims(article)
    correction = ArticleCorrection(
        article=article, previous_body=article.body, reason=reason, author=user
    )
    changed, history = _reanchor_all(article, new_body, correction=correction, user=user)
    _save_body(article, new_body)
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


def _locked_article(article: Article, expected_hash: str | None) -> Article:
    """The article re-read under a row lock; ``Stale`` if its text is not the one the
    editor's form was built from."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    if expected_hash is not None and expected_hash != article.content_hash:
        raise Stale(STALE)
    return article


def _lock_claims(article: Article) -> None:
    """Lock the claims the article's highlights belong to (in id order) before the
    correction's changes are stamped: a correction that waited for a publish of one of them
    is dated after it, so its author counts for the next publication (four eyes)."""
    claim_ids = Annotation.objects.filter(article=article).values("claim_id")
    locked = Claim.objects.filter(pk__in=claim_ids).order_by("pk").select_for_update(no_key=True)
    list(locked.values_list("pk", flat=True))


def _checked_text(article: Article, new_text: str, reason: str) -> tuple[str, str]:
    """The new text in canonical form and the reason, or ``Refused`` saying what is wrong."""
    new_body = normalize_text(new_text or "")
    reason = (reason or "").strip()
    if not new_body.strip():
        raise Refused(_("The corrected text is empty."))
    if not reason:
        raise Refused(_("Give a reason for the correction."))
    if new_body == article.body:
        raise Refused(_("The text is unchanged: there is nothing to correct."))
    duplicate = (
        Article.objects.filter(content_hash=content_hash(new_body)).exclude(pk=article.pk).first()
    )
    if duplicate is not None:
        raise Refused(
            _(
                "This text is exactly the text of another article, “{article}” "
                "(#{number}); an article's text must be unique."
            ).format(article=duplicate, number=duplicate.pk)
        )
    return new_body, reason


def _reanchor_all(
    article: Article, new_body: str, *, correction: ArticleCorrection, user: User
) -> tuple[list[Annotation], list[AnnotationChange]]:
    """Place every annotation of ``article`` in ``new_body`` (rows locked), counting each
    outcome in ``correction``: the annotations to save, and the history of those whose
    place changed (not yet written)."""
    reanchorer = Reanchorer(article.body, new_body)
    soft = soft_breaks(new_body)  # once for every highlight's context
    now = timezone.now()
    changed, history = [], []
    annotations = (
        Annotation.objects.select_for_update(of=("self",))
        .filter(article=article)
        .select_related("claim")
        .order_by("pk")
    )
    for annotation in annotations:
        result = reanchorer.reanchor(Anchor.of(annotation), was_orphaned=annotation.orphaned)
        correction.count(result.outcome)
        before = snapshot(annotation)
        action = _place(annotation, result)
        if not annotation.orphaned:  # the sentence around the words may have changed
            context = context_of(new_body, annotation.start, annotation.end, soft=soft)
            if context != annotation.context:
                annotation.context = context
                action = action or REFRESHED
        if action is None:
            continue
        changed.append(annotation)
        if action is not REFRESHED:
            annotation.updated_at = now
            history.append(_change(annotation, action, result, before=before, user=user, at=now))
    return changed, history


def _place(annotation: Annotation, result: Reanchored):
    """Give ``annotation`` the place ``result`` found. Returns the history action the change
    calls for, ``REFRESHED`` when only the context around its words changed, or None when
    nothing changed (the same place and context, or an orphan still lost)."""
    if result.anchor is None:  # orphaned or ambiguous
        if annotation.orphaned:
            return None
        annotation.orphaned = True
        return AnnotationChange.Action.ORPHANED
    new = result.anchor
    if not annotation.orphaned and new == Anchor.of(annotation):
        return None
    kept_in_place = (
        result.outcome == "kept"
        and not annotation.orphaned
        and (new.start, new.end, new.exact) == (annotation.start, annotation.end, annotation.exact)
    )
    new.apply_to(annotation)
    annotation.orphaned = False
    if kept_in_place:
        return REFRESHED
    if result.outcome == "reanchored":
        return AnnotationChange.Action.REANCHORED
    return AnnotationChange.Action.MOVED


def _change(
    annotation: Annotation, action: str, result: Reanchored, *, before: dict, user: User, at
) -> AnnotationChange:
    """The history entry of a re-anchoring: the outcome, and the reason or the score."""
    after = snapshot(annotation)
    after["outcome"] = result.outcome
    if result.reason:
        after["reason"] = result.reason
    if result.score is not None:
        after["score"] = result.score
    return history_entry(annotation, action=action, user=user, before=before, after=after, at=at)


def _save_body(article: Article, new_body: str) -> None:
    article.body = new_body
    try:
        with transaction.atomic():
            article.save(update_fields=["body", "updated_at"])
    except IntegrityError:
        # Another article got this very text after the check above (an import, a correction).
        raise Refused(DUPLICATE) from None


ANCHOR_FIELDS = (
    "start", "end", "exact", "prefix", "suffix", "orphaned", "context", "updated_at"
)  # fmt: skip


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
