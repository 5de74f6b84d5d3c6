"""The review page's reads: claims × outlets and each claim's current verdict
(``Verdict.objects.current_for``: the open one if any, else the latest approved one).
 The page costs the same number of queries whatever the
number of claims and outlets: one query for the page of claims (with their current verdict
found by subquery), one for those verdicts, one for the outlets, and one aggregate for the
whole claim × outlet matrix (plus one for the quotes the cells link to).
"""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, Min, OuterRef, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from articles.models import Article, Outlet
from claims import policy
from claims.models import Annotation, Claim, Rating, Stance, Status, Verdict, VerdictVersion
from claims.services.publishing import contributors
from factcheck.params import int_param
from factcheck.search import clean_query

NO_VERDICT = "none"
ALL = "all"
UNPUBLISHED = "unpublished"
STATUS_FILTERS = [
    (Status.SUBMITTED.value, _("Awaiting review")),
    (ALL, _("All")),
    (Status.DRAFT.value, Status.DRAFT.label),
    (Status.CHANGES_REQUESTED.value, Status.CHANGES_REQUESTED.label),
    (Status.APPROVED.value, Status.APPROVED.label),
    (NO_VERDICT, _("No verdict")),
    (UNPUBLISHED, _("Unpublished changes")),
]
STANCE_ORDER = {value: i for i, value in enumerate(Stance.values)}


@dataclass
class Cell:
    stance: str
    label: str
    count: int
    first_id: int
    first: Annotation | None = None  # the quote the cell links to


@dataclass
class Row:
    claim: Claim
    verdict: Verdict | None
    # Each outlet with its stances on the claim (none: an empty list), in the page's order.
    cells: list[tuple[Outlet, list[Cell]]] = field(default_factory=list)
    own: bool = False  # the viewer contributed to what approving would publish: four eyes
    # Why the viewer may not review it (``policy.may_review``), "" when they may.
    review_refusal: str = ""
    published_rating: str = ""  # the rating the public reads, if published
    error: str = ""
    notice: str = ""
    comment: str = ""  # a refused request's comment, given back so nothing typed is lost

    @property
    def published_rating_label(self) -> str:
        return Rating(self.published_rating).label if self.published_rating else ""

    @property
    def awaiting_review(self) -> bool:
        return self.verdict is not None and self.verdict.status == Status.SUBMITTED

    @property
    def can_review(self) -> bool:
        return self.awaiting_review and not self.review_refusal


@dataclass
class Filters:
    status: str = Status.SUBMITTED.value
    outlet: int | None = None
    rating: str = ""
    q: str = ""

    @classmethod
    def from_request(cls, request) -> "Filters":
        status = request.GET.get("status", Status.SUBMITTED.value)
        if status not in dict(STATUS_FILTERS):
            status = Status.SUBMITTED.value
        outlet = request.GET.get("outlet", "")
        rating = request.GET.get("rating", "")
        return cls(
            status=status,
            outlet=int_param(outlet),
            rating=rating if rating in Rating.values else "",
            q=clean_query(request.GET.get("q")),
        )

    def apply(self, claims):
        if self.status == NO_VERDICT:
            claims = claims.filter(current_id__isnull=True)
        elif self.status == UNPUBLISHED:
            claims = claims.filter(has_unpublished_changes=True)
        elif self.status != ALL:
            claims = claims.filter(current_status=self.status)
        if self.outlet is not None:
            claims = claims.filter(
                Exists(
                    Annotation.objects.live().filter(
                        claim=OuterRef("pk"), article__outlet_id=self.outlet
                    )
                )
            )
        if self.rating:
            claims = claims.filter(current_rating=self.rating)
        if self.q:
            claims = claims.filter(
                Q(statement__icontains=self.q)
                | Q(claimant__icontains=self.q)
                | Q(slug__icontains=self.q)
            )
        return claims.order_by(F("current_updated").desc(nulls_last=True), "statement", "pk")


# Other orders of the page (?sort=name): apps that depend on claims add theirs when they are
# ready (spread's "rising"), so claims never imports them.
SORTS = {}


def add_sort(name: str, order) -> None:
    """``order(claims)`` answers the claims in that order."""
    SORTS[name] = order


def sorted_by(claims, name: str | None):
    """The claims in the order named, if an app added it; else as they are."""
    order = SORTS.get(name or "")
    return order(claims) if order is not None else claims


def outlets_with_articles() -> list[Outlet]:
    return list(
        Outlet.objects.filter(Exists(Article.objects.filter(outlet=OuterRef("pk")))).order_by(
            Lower("name"), "pk"
        )
    )


def stance_matrix(claim_ids) -> dict[tuple[int, int], list[Cell]]:
    """(claim id, outlet id) → that outlet's stances on the claim, in one aggregate query.

    ``claim_ids`` may be a list or a subquery. Orphaned highlights point at no words and
    count for nothing."""
    groups = list(
        Annotation.objects.live()
        .filter(claim_id__in=claim_ids, article__outlet__isnull=False)
        .values("claim_id", "article__outlet_id", "stance")
        .annotate(n=Count("id"), first=Min("id"))
        .order_by()
    )
    labels = dict(Stance.choices)
    matrix: dict[tuple[int, int], list[Cell]] = {}
    for g in groups:
        matrix.setdefault((g["claim_id"], g["article__outlet_id"]), []).append(
            Cell(
                stance=g["stance"],
                label=labels.get(g["stance"], g["stance"]),
                count=g["n"],
                first_id=g["first"],
            )
        )
    for cells in matrix.values():
        cells.sort(key=lambda c: STANCE_ORDER.get(c.stance, 99))
    return matrix


def build_rows(user, claims: list[Claim], outlets: list[Outlet]) -> list[Row]:
    """The rows of the review page for ``claims`` (``Claim.objects.with_current_verdict()``),
    in a fixed number of queries whatever their number."""
    verdict_ids = [c.current_id for c in claims if c.current_id]
    verdicts = (
        Verdict.objects.select_related("author", "last_edited_by", "reviewer")
        .prefetch_related("versions")
        .in_bulk(verdict_ids)
    )
    found = _contributors(user, claims, verdicts)
    matrix = stance_matrix([c.pk for c in claims])
    cells = [cell for group in matrix.values() for cell in group]
    # The quotes the cells link to: one query for all of them.
    quotes = Annotation.objects.only("id", "article_id", "exact").in_bulk(
        [c.first_id for c in cells]
    )
    for cell in cells:
        cell.first = quotes.get(cell.first_id)
    rows = []
    for claim in claims:
        verdict = verdicts.get(claim.current_id)
        contributed = found.get(claim.pk, set())
        refusal = None
        if verdict is not None and verdict.status == Status.SUBMITTED:
            refusal = policy.may_review(user, verdict, contributed)
        rows.append(
            Row(
                claim=claim,
                verdict=verdict,
                cells=[(o, matrix.get((claim.pk, o.pk), [])) for o in outlets],
                own=user.pk in contributed,
                review_refusal=str(refusal) if refusal else "",
                published_rating=claim.published_rating or "",
            )
        )
    return rows


def _contributors(user, claims: list[Claim], verdicts: dict[int, Verdict]) -> dict[int, set]:
    """For the claims awaiting review, whether ``user`` contributed to what approving would
    publish (``publishing.contributors``, narrowed to the viewer), for ``policy.may_review``.
    Two queries, none when nothing awaits review."""
    waiting = [
        claim
        for claim in claims
        if claim.current_id in verdicts and verdicts[claim.current_id].status == Status.SUBMITTED
    ]
    if not waiting:
        return {}
    return contributors(waiting, {c.pk: verdicts[c.current_id] for c in waiting}, among=user)


# --- what the views read (docs/architecture.md, "Layers": views hold no queries) ------------


def review_claims(filters: Filters):
    """The claims of the review page (or its CSV export), filtered and in page order."""
    return filters.apply(Claim.objects.with_current_verdict())


def review_row(user, claim_id: int, outlets: list[Outlet]) -> Row:
    """One row of the review page, read again after an action on it."""
    claim = Claim.objects.with_current_verdict().get(pk=claim_id)
    (row,) = build_rows(user, [claim], outlets)
    return row


def export_verdicts(verdict_ids) -> dict[int, Verdict]:
    """The verdicts ``verdict_ids`` (a chunk of the claims' current ones) for the CSV
    export, by id, with the people it names."""
    return Verdict.objects.select_related("author", "last_edited_by", "reviewer").in_bulk(
        verdict_ids
    )


def waiting_count(user) -> int:
    """How many verdicts wait for ``user``'s review: submitted, and not written or saved by
    them (whoever wrote one may not approve it: four eyes). One query; the menu shows it."""
    saved_by_user = VerdictVersion.objects.filter(verdict=OuterRef("pk"), saved_by=user.pk)
    return (
        Verdict.objects.filter(status=Status.SUBMITTED)
        .exclude(author=user.pk)
        .exclude(Exists(saved_by_user))
        .count()
    )
