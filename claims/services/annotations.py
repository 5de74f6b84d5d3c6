"""Highlights: create, edit, delete and re-attach, each in one transaction with its history.

Offsets are code points into ``article.body`` (DESIGN.md, offsets). Nothing is stored that
does not point at exactly the words the editor selected: ``body[start:end] == exact``.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from articles.models import Article
from claims.models import Annotation, AnnotationChange, Claim, Stance
from factcheck.sanitize import render_markdown

MISMATCH = "The selected words no longer match the article text; reload the page."


def _offset(value, name: str) -> int:
    if isinstance(value, bool):
        raise ValidationError(f"The selection's {name} is not a number.")
    if isinstance(value, int):
        return value
    text = str(value).strip() if value is not None else ""
    # Length first: int() refuses more than 4,300 digits, and no article is that long.
    if len(text) > 18 or not text.isascii() or not text.isdigit():
        raise ValidationError(f"The selection's {name} is not a number.")
    return int(text)


def validate_selection(*, body: str, start, end, exact: str) -> tuple[int, int]:
    """Check a selection against the text; returns (start, end) as ints or raises with the
    message the editor sees."""
    start, end = _offset(start, "start"), _offset(end, "end")
    if not (0 <= start <= len(body) and 0 <= end <= len(body)):
        raise ValidationError("The selection lies outside the article text.")
    if start >= end:
        raise ValidationError("Select some words first: the selection is empty.")
    if not (exact or "").strip():
        raise ValidationError("Select some words, not just spaces or line breaks.")
    if body[start:end] != exact:
        raise ValidationError(MISMATCH)
    if not body[start:end].strip():
        raise ValidationError("Select some words, not just spaces or line breaks.")
    return start, end


def _stance(stance) -> str:
    if stance not in Stance.values:
        raise ValidationError("Choose a stance: asserts, attributes or disputes.")
    return stance


def _claim(*, claim: Claim | None, statement: str, user) -> Claim:
    if claim is not None:
        return claim
    statement = " ".join((statement or "").split())
    if not statement:
        raise ValidationError("Choose a claim or type a new one.")
    if len(statement) > Claim._meta.get_field("statement").max_length:
        raise ValidationError("The claim is too long: keep it under 500 characters.")
    existing = Claim.objects.filter(statement__iexact=statement).order_by("pk").first()
    if existing is not None:
        return existing
    return Claim.objects.create(statement=statement, created_by=user)


def _anchor(annotation: Annotation, body: str, start: int, end: int) -> None:
    context = Annotation.CONTEXT_LENGTH
    annotation.start, annotation.end = start, end
    annotation.exact = body[start:end]
    annotation.prefix = body[max(0, start - context) : start]
    annotation.suffix = body[end : end + context]


def snapshot(annotation: Annotation) -> dict:
    """What the history keeps of an annotation (JSON)."""
    return {
        "article": annotation.article_id,
        "claim": annotation.claim_id,
        "claim_statement": annotation.claim.statement if annotation.claim_id else "",
        "stance": annotation.stance,
        "start": annotation.start,
        "end": annotation.end,
        "exact": annotation.exact,
        "prefix": annotation.prefix,
        "suffix": annotation.suffix,
        "note": annotation.note,
        "orphaned": annotation.orphaned,
    }


def _record(annotation: Annotation, *, action: str, user, before, after) -> AnnotationChange:
    return AnnotationChange.objects.create(
        annotation=annotation if action != AnnotationChange.Action.DELETED else None,
        annotation_key=annotation.pk,
        article_id=annotation.article_id,
        action=action,
        user=user,
        before=before,
        after=after,
    )


def _locked(annotation: Annotation, *related: str) -> Annotation:
    """The annotation re-read under a row lock: a change starts from what is stored now."""
    return (
        Annotation.objects.select_for_update(of=("self",))
        .select_related("claim", *related)
        .get(pk=annotation.pk)
    )


@transaction.atomic
def annotation_create(
    *,
    article: Article,
    user,
    claim: Claim | None = None,
    new_claim_statement: str = "",
    stance: str,
    start,
    end,
    exact: str,
    note: str = "",
) -> Annotation:
    start, end = validate_selection(body=article.body, start=start, end=end, exact=exact)
    stance = _stance(stance)
    annotation = Annotation(
        article=article,
        claim=_claim(claim=claim, statement=new_claim_statement, user=user),
        stance=stance,
        note=note or "",
        note_html=render_markdown(note or ""),
        author=user,
    )
    _anchor(annotation, article.body, start, end)
    annotation.save()
    _record(
        annotation,
        action=AnnotationChange.Action.CREATED,
        user=user,
        before=None,
        after=snapshot(annotation),
    )
    return annotation


@transaction.atomic
def annotation_update(
    *,
    annotation: Annotation,
    user,
    claim: Claim | None = None,
    new_claim_statement: str = "",
    stance: str,
    note: str = "",
) -> Annotation:
    """Change the claim, stance or note of a highlight (its words stay)."""
    annotation = _locked(annotation)
    before = snapshot(annotation)
    annotation.claim = _claim(claim=claim, statement=new_claim_statement, user=user)
    annotation.stance = _stance(stance)
    annotation.note = note or ""
    annotation.note_html = render_markdown(annotation.note)
    after = snapshot(annotation)
    if after == before:
        return annotation
    annotation.save()
    _record(
        annotation, action=AnnotationChange.Action.UPDATED, user=user, before=before, after=after
    )
    return annotation


@transaction.atomic
def annotation_delete(*, annotation: Annotation, user) -> None:
    annotation = _locked(annotation)
    _record(
        annotation,
        action=AnnotationChange.Action.DELETED,
        user=user,
        before=snapshot(annotation),
        after=None,
    )
    annotation.delete()


@transaction.atomic
def annotation_reattach(*, annotation: Annotation, user, start, end, exact: str) -> Annotation:
    """Point an orphaned highlight (or any highlight) at newly selected words."""
    annotation = _locked(annotation, "article")
    body = annotation.article.body
    start, end = validate_selection(body=body, start=start, end=end, exact=exact)
    before = snapshot(annotation)
    _anchor(annotation, body, start, end)
    annotation.orphaned = False
    annotation.save()
    _record(
        annotation,
        action=AnnotationChange.Action.REATTACHED,
        user=user,
        before=before,
        after=snapshot(annotation),
    )
    return annotation
