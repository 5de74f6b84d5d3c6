"""Highlights: create, edit, delete and re-attach, each in one transaction with its history.

Offsets are code points into ``article.body`` (docs/architecture.md, "The offsets
contract"). Nothing is stored that does not point at exactly the words the editor selected:
``body[start:end] == exact``, checked against the article's text re-read under a row lock, so
a correction committed meanwhile cannot slip between the check and the write.

A change to a published claim's highlights is a proposal: the claim is marked as having
unpublished changes (claims.services.publishing).
"""

from django.conf import settings
from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from articles.models import Article
from claims.anchoring import Anchor
from claims.models import Annotation, AnnotationChange, Claim, Stance
from claims.sentences import context_of
from claims.services.claims import claim_get_or_create
from claims.services.history import history_entry, snapshot
from claims.services.publishing import lock_claim, mark_changed
from factcheck.errors import NotAllowed, Refused
from factcheck.roles import User
from factcheck.sanitize import MAX_MARKDOWN, render_markdown

MISMATCH = gettext_noop("The selected words no longer match the article text; reload the page.")


def validate_selection(*, body: str, start: int | None, end: int | None, exact: str) -> None:
    """Check a selection against the text; raises with the message the editor sees.
    ``start``/``end`` come parsed by the form (None: missing or not a whole number)."""
    if start is None or end is None:
        raise Refused(_("The selection's start or end is not a number; reload the page."))
    if not (0 <= start <= len(body) and 0 <= end <= len(body)):
        raise Refused(_("The selection lies outside the article text."))
    if start >= end:
        raise Refused(_("Select some words first: the selection is empty."))
    if not (exact or "").strip():
        raise Refused(_("Select some words, not just spaces or line breaks."))
    if body[start:end] != exact:
        raise Refused(_(MISMATCH))
    if not body[start:end].strip():
        raise Refused(_("Select some words, not just spaces or line breaks."))
    if end - start > settings.HIGHLIGHT_MAX_CHARS:
        raise Refused(
            _(
                "This selection is {length} characters long. A highlight marks the words "
                "that carry one claim, a sentence or two: select at most {limit} characters."
            ).format(
                length=formats.number_format(end - start, force_grouping=True),
                limit=formats.number_format(settings.HIGHLIGHT_MAX_CHARS, force_grouping=True),
            )
        )


def _stance(stance) -> str:
    if stance not in Stance.values:
        raise Refused(_("Choose a stance: asserts, attributes or disputes."))
    return stance


def _note(note: str) -> str:
    note = note or ""
    if len(note) > MAX_MARKDOWN:
        raise Refused(
            _("Keep the note under {count} characters.").format(
                count=formats.number_format(MAX_MARKDOWN, force_grouping=True)
            )
        )
    return note


def _claim(*, claim: Claim | None, statement: str, user: User) -> Claim:
    """The chosen (or typed) claim, its row locked until the transaction ends, so that a
    merge cannot take it away before the highlight is stored: a highlight saved while its
    claim is merged waits, then is refused naming the surviving claim (409)."""
    if claim is None:
        claim = claim_get_or_create(statement=statement, user=user)
    return lock_claim(claim.pk, no_key=True)


def _anchor(annotation: Annotation, body: str, start: int, end: int) -> None:
    Anchor.at(body, start, end).apply_to(annotation)
    annotation.context = context_of(body, start, end)


def _locked_body(article: Article) -> str:
    """The article's text as stored now, its row locked until the transaction ends."""
    return Article.objects.select_for_update().values_list("body", flat=True).get(pk=article.pk)


def _record(annotation: Annotation, *, action: str, user: User, before, after) -> AnnotationChange:
    change = history_entry(annotation, action=action, user=user, before=before, after=after)
    change.save(force_insert=True)
    return change


def _locked(annotation: Annotation, *related: str) -> Annotation:
    """The annotation re-read under a row lock: a change starts from what is stored now."""
    return (
        Annotation.objects.select_for_update(of=("self",))
        .select_related("claim", *related)
        .get(pk=annotation.pk)
    )


@transaction.atomic(durable=True)
def annotation_create(
    *,
    article: Article,
    user: User,
    claim: Claim | None = None,
    new_claim_statement: str = "",
    stance: str,
    start: int | None,
    end: int | None,
    exact: str,
    note: str = "",
) -> Annotation:
    return _created(
        article=article, user=user, claim=claim, new_claim_statement=new_claim_statement,
        stance=stance, start=start, end=end, exact=exact, note=note,
    )  # fmt: skip


def _created(
    *, article, user, claim, new_claim_statement="", stance, start, end, exact, note
) -> Annotation:
    """A new highlight on the words ``exact`` at ``start``..``end``, checked against the
    text under the article's row lock, with its history (in the caller's transaction)."""
    stance, note = _stance(stance), _note(note)
    body = _locked_body(article)
    validate_selection(body=body, start=start, end=end, exact=exact)
    annotation = Annotation(
        article=article,
        claim=_claim(claim=claim, statement=new_claim_statement, user=user),
        stance=stance,
        note=note,
        note_html=render_markdown(note),
        author=user,
    )
    _anchor(annotation, body, start, end)
    annotation.save()
    mark_changed([annotation.claim_id])
    _record(
        annotation,
        action=AnnotationChange.Action.CREATED,
        user=user,
        before=None,
        after=snapshot(annotation),
    )
    return annotation


@transaction.atomic(durable=True)
def annotation_update(
    *,
    annotation: Annotation,
    user: User,
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
    annotation.note = _note(note)
    annotation.note_html = render_markdown(annotation.note)
    after = snapshot(annotation)
    if after == before:
        return annotation
    annotation.save()
    mark_changed([before["claim"], annotation.claim_id])
    _record(
        annotation, action=AnnotationChange.Action.UPDATED, user=user, before=before, after=after
    )
    return annotation


@transaction.atomic(durable=True)
def annotation_delete(*, annotation: Annotation, user: User) -> AnnotationChange:
    """Delete the highlight; its history keeps it, and the returned entry is what
    ``annotation_restore`` brings back (the desk's Undo)."""
    annotation = _locked(annotation)
    mark_changed([annotation.claim_id])
    change = _record(
        annotation,
        action=AnnotationChange.Action.DELETED,
        user=user,
        before=snapshot(annotation),
        after=None,
    )
    annotation.delete()
    return change


@transaction.atomic(durable=True)
def annotation_reattach(
    *, annotation: Annotation, user: User, start: int | None, end: int | None, exact: str
) -> Annotation:
    """Point an orphaned highlight (or any highlight) at newly selected words."""
    body = _locked_body(annotation.article)  # article first, as a correction locks them
    annotation = _locked(annotation)
    validate_selection(body=body, start=start, end=end, exact=exact)
    before = snapshot(annotation)
    _anchor(annotation, body, start, end)
    annotation.orphaned = False
    annotation.save()
    mark_changed([annotation.claim_id])
    _record(
        annotation,
        action=AnnotationChange.Action.REATTACHED,
        user=user,
        before=before,
        after=snapshot(annotation),
    )
    return annotation


# The actions that set where a highlight points; the latest of them says how it got there.
ANCHOR_ACTIONS = (
    AnnotationChange.Action.CREATED,
    AnnotationChange.Action.MOVED,
    AnnotationChange.Action.REANCHORED,
    AnnotationChange.Action.ORPHANED,
    AnnotationChange.Action.REATTACHED,
)
NOTHING_TO_UNDO = _(
    "There is nothing to undo: this highlight was not re-anchored with changes, or it has "
    "changed since."
)


def last_anchor_change(annotation: Annotation) -> AnnotationChange | None:
    return (
        AnnotationChange.objects.filter(annotation=annotation, action__in=ANCHOR_ACTIONS)
        .order_by("-at", "-id")
        .first()
    )


@transaction.atomic(durable=True)
def annotation_undo_reanchor(*, annotation: Annotation, user: User) -> Annotation:
    """Undo the fuzzy re-anchoring of a highlight by a correction (the words it took were not
    what the editor meant).

    Only the latest change of its anchor can be undone, and only while the highlight still
    points where that re-anchoring put it. The previous quote comes back: on its previous
    offsets when the text there still reads exactly that quote, otherwise orphaned (nothing
    is guessed) for the editor to re-attach or delete. Recorded in the history either way.
    """
    annotation = _locked(annotation, "article")
    change = last_anchor_change(annotation)
    if change is None or change.action != AnnotationChange.Action.REANCHORED:
        raise Refused(NOTHING_TO_UNDO)
    now = (annotation.start, annotation.end, annotation.exact, annotation.orphaned)
    after = change.after or {}
    if now != (after.get("start"), after.get("end"), after.get("exact"), False):
        raise Refused(NOTHING_TO_UNDO)
    previous = change.before or {}
    start, end, exact = previous.get("start"), previous.get("end"), previous.get("exact")
    if not (isinstance(start, int) and isinstance(end, int) and exact):
        raise Refused(NOTHING_TO_UNDO)
    body = annotation.article.body
    before = snapshot(annotation)
    if 0 <= start < end <= len(body) and body[start:end] == exact:
        _anchor(annotation, body, start, end)
        annotation.orphaned = False
        action = AnnotationChange.Action.REATTACHED
        reason = "Re-anchoring undone: the previous words are back in place."
    else:
        annotation.start, annotation.end, annotation.exact = start, end, exact
        annotation.prefix = previous.get("prefix", "")
        annotation.suffix = previous.get("suffix", "")
        annotation.orphaned = True
        action = AnnotationChange.Action.ORPHANED
        reason = (
            "Re-anchoring undone: the previous words are no longer in the text; "
            "re-attach the highlight or delete it."
        )
    annotation.save()
    recorded = snapshot(annotation)
    recorded.update(reason=reason, undo_of=change.pk)
    _record(annotation, action=action, user=user, before=before, after=recorded)
    mark_changed([annotation.claim_id])
    return annotation


NOT_RESTORABLE = _(
    "This highlight cannot be brought back: only a deletion of your own can be undone."
)


@transaction.atomic(durable=True)
def annotation_restore(*, change: AnnotationChange, user: User) -> Annotation:
    """Undo a deletion (``change``, the DELETED entry of its history): the same words,
    claim, stance and note, as a new highlight with its own history. Only the person who
    deleted it; refused when the words are no longer in the text (a correction since), the
    claim is gone, or it was brought back already."""
    change = AnnotationChange.objects.select_for_update().get(pk=change.pk)
    was = change.before or {}
    if change.action != AnnotationChange.Action.DELETED or change.user_id != user.pk or not was:
        raise NotAllowed(NOT_RESTORABLE)
    if change.after is not None:
        raise Refused(_("This highlight was brought back already."))
    claim = Claim.objects.filter(pk=was.get("claim")).first()
    if claim is None:
        raise Refused(
            _("Its claim no longer exists (merged or deleted): highlight the words again.")
        )
    restored = _created(
        article=Article.objects.get(pk=change.article_id),
        user=user,
        claim=claim,
        stance=was["stance"],
        start=was["start"],
        end=was["end"],
        exact=was["exact"],
        note=was.get("note", ""),
    )
    # The deletion's entry says where its highlight went: Undo works once.
    AnnotationChange.objects.filter(pk=change.pk).update(after={"restored_as": restored.pk})
    return restored
