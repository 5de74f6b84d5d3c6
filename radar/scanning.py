"""The radar against the database: the index of every known claim's wordings (kept per
process while no claim or wording changes), scanning articles and the archive for one claim,
and storing what the desk will show (docs/architecture.md, "Claim radar").

What is stored is what the desk shows: suggestions at or above ``matching.THRESHOLD``,
less the passages an editor rejected for that claim and those a live highlight of that claim
already covers.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Max, Q

from articles.models import Article
from articles.text import soft_breaks
from claims.models import Annotation, Claim, ClaimWording
from radar import matching
from radar.models import Rejection, Suggestion

ARCHIVE_BATCH = 200  # articles read per query by an archive scan

_cache: dict = {}


def _wordings(claims=None):
    claim_rows = Claim.objects.all() if claims is None else claims
    rows = [(pk, text) for pk, text in claim_rows.values_list("pk", "statement")]
    wordings = ClaimWording.objects.all()
    if claims is not None:
        wordings = wordings.filter(claim__in=claims)
    rows += list(wordings.values_list("claim_id", "text"))
    return rows


def known_claims() -> matching.Index:
    """The index of every claim's wordings, built again only when a claim or a wording was
    added, changed or removed since (one query to know)."""
    state = (
        Claim.objects.aggregate(n=Count("pk"), at=Max("updated_at")),
        ClaimWording.objects.aggregate(n=Count("pk"), at=Max("updated_at")),
    )
    if _cache.get("state") != state:
        _cache["index"] = matching.Index.build(_wordings())
        _cache["state"] = state
    return _cache["index"]


@dataclass(frozen=True)
class Found:
    """A suggestion the desk would show (not stored yet)."""

    article_id: int
    claim_id: int
    start: int
    end: int
    exact: str
    stance: str
    score: float
    reason: str

    def as_json(self) -> dict:
        return {
            "article": self.article_id,
            "claim": self.claim_id,
            "start": self.start,
            "end": self.end,
            "exact": self.exact,
            "stance": self.stance,
            "score": self.score,
        }


def _shown(article_id: int, body: str, matches, *, claim_ids=None) -> list[Found]:
    """The matches the desk shows: above the threshold, not rejected, not highlighted."""
    matches = [m for m in matches if m.score >= matching.THRESHOLD]
    if not matches:
        return []
    wanted = {m.claim_id for m in matches} if claim_ids is None else claim_ids
    rejected = set(
        Rejection.objects.filter(article_id=article_id, claim_id__in=wanted).values_list(
            "claim_id", "exact"
        )
    )
    highlighted = list(
        Annotation.objects.live()
        .filter(article_id=article_id, claim_id__in=wanted)
        .values_list("claim_id", "start", "end")
    )
    found = []
    for m in matches:
        exact = body[m.start : m.end]
        if (m.claim_id, exact) in rejected:
            continue
        if any(c == m.claim_id and s < m.end and m.start < e for c, s, e in highlighted):
            continue
        found.append(
            Found(article_id, m.claim_id, m.start, m.end, exact, m.stance, m.score, m.reason)
        )
    return found


def article_suggestions(article: Article, index: matching.Index | None = None) -> list[Found]:
    """What the desk would suggest for ``article`` now, computed afresh."""
    index = known_claims() if index is None else index
    body = article.body
    return _shown(article.pk, body, matching.scan(body, index, soft=soft_breaks(body)))


def article_scan(article: Article) -> int:
    """Compute ``article``'s suggestions and store them in place of the old ones."""
    found = article_suggestions(article)
    with transaction.atomic():
        Suggestion.objects.filter(article=article).delete()
        Suggestion.objects.bulk_create(_rows(found))
    return len(found)


def _rows(found: list[Found]) -> list[Suggestion]:
    return [
        Suggestion(
            article_id=f.article_id,
            claim_id=f.claim_id,
            start=f.start,
            end=f.end,
            exact=f.exact,
            stance=f.stance,
            score=f.score,
            reason=f.reason[:300],
        )
        for f in found
    ]


def candidate_articles(index: matching.Index):
    """The articles worth reading for the claims of ``index``: those whose text holds every
    required name of one of its patterns, as a case-insensitive substring (a few letters
    from inside the name's stem, ``Pattern.clues``: inflection changes only its end)."""
    condition = Q()
    for pattern in index.patterns:
        condition |= Q(*(Q(body__icontains=clue) for clue in pattern.clues()))
    return Article.objects.filter(condition) if condition else Article.objects.none()


def claim_scan_archive(claim: Claim, *, progress=None) -> int:
    """Scan every article for ``claim`` alone and store its suggestions in place of the old
    ones. ``progress(done, total)`` is told after each batch."""
    index = matching.Index.build(_wordings(Claim.objects.filter(pk=claim.pk)))
    ids = list(candidate_articles(index).order_by("pk").values_list("pk", flat=True))
    total, found = len(ids), []
    for n in range(0, total, ARCHIVE_BATCH):
        batch = Article.objects.filter(pk__in=ids[n : n + ARCHIVE_BATCH]).only("pk", "body")
        for article in batch:
            body = article.body
            found += _shown(article.pk, body, matching.scan(body, index), claim_ids={claim.pk})
        if progress:
            progress(min(total, n + ARCHIVE_BATCH), total)
    with transaction.atomic():
        Suggestion.objects.filter(claim=claim).delete()
        Suggestion.objects.bulk_create(_rows(found), batch_size=500)
    return len(found)
