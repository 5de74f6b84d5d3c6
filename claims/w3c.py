"""The W3C Web Annotation shape of an article's highlights (https://www.w3.org/TR/annotation-model/).

Choices, and why:
- One ``AnnotationPage`` holds them all; each item repeats ``@context`` so that it stands
  alone when a consumer takes it out of the page (and the W3C test suite checks items alone).
  A page must have items (model §5.2), so an article without highlights is an empty
  ``AnnotationCollection``: ``total`` 0 and no ``first`` page (model §5.1).
- ``motivation`` is ``identifying``: a highlight says *which claim* these words carry ("identify
  what is being described in the Target", model §3.3.5). The bodies carry the parts: the
  claim's statement and the claim's desk page (both purpose ``identifying``), the stance
  (purpose ``classifying``) and the editor's note when there is one (``commenting``). The
  desk page is a SpecificResource, not an ``id`` on the statement's TextualBody: a body with
  an ``id`` and no ``source`` counts as an External Web Resource, which must not carry a
  purpose (W3C test 3.3.5-bodyEWRNoPurpose).
- The target's ``source`` is the original article URL when known, else the article's desk
  page. ``TextPositionSelector`` counts code points in the desk's canonical text (the
  article's body), which may differ from the original page's text; consumers should anchor
  by the ``TextQuoteSelector`` and treat the position as a hint, as annotation clients do.
- Orphaned highlights are left out: after a correction their words are no longer in the
  text, so any selector would point at nothing (or at other words).
"""

from datetime import UTC

from django.urls import reverse

from claims.anchoring import Anchor
from claims.models import Annotation

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTENT_TYPE = f'application/ld+json; profile="{CONTEXT}"'


def _datetime(value) -> str:
    """xsd:dateTime in UTC, as the model's examples write it."""
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def annotation_as_w3c(annotation: Annotation, *, absolute, source: str) -> dict:
    """One highlight as a W3C Annotation; ``absolute`` turns a path into an absolute IRI."""
    claim = annotation.claim
    body = [
        {
            "type": "TextualBody",
            "value": claim.statement,
            "format": "text/plain",
            "purpose": "identifying",
        },
        {
            "type": "SpecificResource",
            "source": absolute(reverse("claim_detail", args=[claim.pk])),
            "purpose": "identifying",
        },
        {
            "type": "TextualBody",
            "value": annotation.stance,
            "format": "text/plain",
            "purpose": "classifying",
        },
    ]
    if annotation.note:
        body.append(
            {
                "type": "TextualBody",
                "value": annotation.note,
                "format": "text/markdown",
                "purpose": "commenting",
            }
        )
    author = annotation.author
    return {
        "@context": CONTEXT,
        "id": absolute(annotation.get_absolute_url()),
        "type": "Annotation",
        "motivation": "identifying",
        "created": _datetime(annotation.created_at),
        "modified": _datetime(annotation.updated_at),
        "creator": {
            "type": "Person",
            "name": author.get_full_name() or author.get_username(),
            "nickname": author.get_username(),
        },
        "body": body,
        "target": {
            "type": "SpecificResource",
            "source": source,
            "selector": Anchor.of(annotation).selectors(),
        },
    }


def annotation_page(article, annotations, *, absolute, page_id: str, source: str) -> dict:
    """The highlights ``annotations`` of ``article`` as one ``AnnotationPage`` (an empty
    ``AnnotationCollection`` when there are none); ``page_id`` is the export's own IRI."""
    items = [annotation_as_w3c(a, absolute=absolute, source=source) for a in annotations]
    label = f"Highlights of {article.title or 'an untitled article'}"
    if items:
        return {
            "@context": CONTEXT,
            "id": page_id,
            "type": "AnnotationPage",
            # The one page of the article's collection (model §5.2): what it is part of,
            # and how many annotations the whole holds.
            "partOf": {
                "id": page_id + "#collection",
                "type": "AnnotationCollection",
                "label": label,
                "total": len(items),
            },
            "startIndex": 0,
            "items": items,
        }
    return {
        "@context": CONTEXT,
        "id": page_id,
        "type": "AnnotationCollection",
        "label": label,
        "total": 0,
    }
