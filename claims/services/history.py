"""What an annotation's history keeps: the snapshot of a highlight and an unsaved history
entry. Its own module, imported by the services that write highlights (annotations,
claims' merge, corrections), so none of them imports another for it (no import cycle:
tests/test_architecture.py, test_no_import_cycle)."""

from claims.models import Annotation, AnnotationChange
from factcheck.roles import User


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


def history_entry(
    annotation: Annotation, *, action: str, user: User, before, after, at=None
) -> AnnotationChange:
    """An entry of ``annotation``'s history, not saved yet (a deleted annotation's entry
    keeps its id only); ``at`` defaults to now."""
    return AnnotationChange(
        annotation=annotation if action != AnnotationChange.Action.DELETED else None,
        annotation_key=annotation.pk,
        article_id=annotation.article_id,
        action=action,
        user=user,
        before=before,
        after=after,
        **({"at": at} if at is not None else {}),
    )
