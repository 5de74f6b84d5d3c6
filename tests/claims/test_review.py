"""The review page: claims × outlets, filters, actions from the row, CSV."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from claims.models import (
    AnnotationChange,
    ClaimChange,
    Rating,
    Stance,
    Status,
    Verdict,
    VerdictTransition,
)
from tests import factories
from tests.claims.helpers import parse, publish

pytestmark = pytest.mark.django_db
REVIEW = "/desk/review/"


def submitted(claim=None, **fields):
    extra = {"claim": claim} if claim is not None else {}
    return factories.VerdictFactory(status=Status.SUBMITTED, **extra, **fields)


# --- access -------------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(REVIEW)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_editors_without_review_permission_get_403(editor_client):
    assert editor_client.get(REVIEW).status_code == 403
    verdict = submitted()
    url = reverse("verdict_approve", args=[verdict.pk]) + "?from=review"
    assert editor_client.post(url, {"version": verdict.version}).status_code == 403
    verdict.refresh_from_db()
    assert verdict.status == Status.SUBMITTED


def test_reviewers_see_the_page(reviewer_client):
    response = reviewer_client.get(REVIEW)
    assert response.status_code == 200
    assert "No verdict is waiting for review" in response.content.decode()


# --- the matrix ---------------------------------------------------------------------------


def test_row_shows_each_outlets_stances_with_counts_and_links(reviewer_client):
    claim = factories.ClaimFactory(statement="Putin congratulated Trump via intermediaries")
    submitted(claim, rating=Rating.FALSE)
    online = factories.OutletFactory(name="online.ua")
    caliber = factories.OutletFactory(name="Caliber.az")
    quiet = factories.OutletFactory(name="CNBC")
    factories.ArticleFactory(outlet=quiet)  # has articles, not this claim
    a1 = factories.ArticleFactory(outlet=online)
    a2 = factories.ArticleFactory(outlet=online)
    first = factories.AnnotationFactory(claim=claim, article=a1)
    factories.AnnotationFactory(claim=claim, article=a2)
    factories.AnnotationFactory(
        claim=claim, article=factories.ArticleFactory(outlet=caliber), stance=Stance.DISPUTES
    )
    factories.AnnotationFactory(
        claim=claim,
        article=factories.ArticleFactory(outlet=caliber),
        stance=Stance.ATTRIBUTES,
        orphaned=True,
    )
    html = reviewer_client.get(REVIEW).content.decode()
    page = parse(html)
    headers = [a for t, a in page.tags if t == "th"]
    assert headers  # the table is there
    cells = _row_cells(html, claim.pk)
    by_outlet = dict(zip(["Caliber.az", "CNBC", "online.ua"], cells[-3:], strict=True))
    assert by_outlet["online.ua"] == "asserts ×2"
    assert by_outlet["Caliber.az"] == "disputes ×1"  # the orphaned one counts for nothing
    assert by_outlet["CNBC"] == ""
    assert f'href="{first.get_absolute_url()}"' in html
    assert f'href="{reverse("claim_detail", args=[claim.pk])}"' in html


def _row_cells(html: str, claim_pk: int) -> list[str]:
    """The text of each cell in the claim's row."""
    from html.parser import HTMLParser

    class Cells(HTMLParser):
        def __init__(self):
            super().__init__()
            self.inside, self.cells, self.depth = False, [], 0

        def handle_starttag(self, tag, attrs):
            if tag == "tr" and dict(attrs).get("id") == f"review-row-{claim_pk}":
                self.inside = True
            elif self.inside and tag in ("td", "th"):
                self.cells.append("")

        def handle_endtag(self, tag):
            if tag == "tr":
                self.inside = False

        def handle_data(self, data):
            if self.inside and self.cells:
                self.cells[-1] += data

    parser = Cells()
    parser.feed(html)
    return [" ".join(c.split()) for c in parser.cells]


def test_current_verdict_is_the_open_one_else_the_latest_approved(reviewer_client):
    claim = factories.ClaimFactory(statement="Corrected claim")
    publish(claim, rating=Rating.MIXED)
    html = reviewer_client.get(REVIEW, {"status": "approved"}).content.decode()
    assert "Corrected claim" in html and "rating-mixed" in html
    factories.VerdictFactory(claim=claim, rating=Rating.FALSE, status=Status.DRAFT)
    assert (
        "Corrected claim"
        not in reviewer_client.get(REVIEW, {"status": "approved"}).content.decode()
    )
    html = reviewer_client.get(REVIEW, {"status": "draft"}).content.decode()
    assert "Corrected claim" in html and "rating-false" in html


def test_filters(reviewer_client):
    outlet = factories.OutletFactory(name="online.ua")
    waiting = submitted(factories.ClaimFactory(statement="Waiting claim"), rating=Rating.FALSE)
    factories.AnnotationFactory(
        claim=waiting.claim, article=factories.ArticleFactory(outlet=outlet)
    )
    factories.VerdictFactory(claim=factories.ClaimFactory(statement="Drafted claim"))
    publish(claim=factories.ClaimFactory(statement="Approved claim"), rating=Rating.TRUE)
    factories.ClaimFactory(statement="Bare claim")
    submitted(factories.ClaimFactory(statement="Other waiting"), rating=Rating.MIXED)

    def shown(**params):
        html = reviewer_client.get(REVIEW, params).content.decode()
        names = ["Waiting claim", "Drafted claim", "Approved claim", "Bare claim", "Other waiting"]
        return {n for n in names if n in html}

    assert shown() == {"Waiting claim", "Other waiting"}  # default: awaiting review
    assert shown(status="all") == {
        "Waiting claim", "Drafted claim", "Approved claim", "Bare claim", "Other waiting"
    }  # fmt: skip
    assert shown(status="draft") == {"Drafted claim"}
    assert shown(status="approved") == {"Approved claim"}
    assert shown(status="none") == {"Bare claim"}
    assert shown(status="all", outlet=outlet.pk) == {"Waiting claim"}
    assert shown(rating="mixed") == {"Other waiting"}
    assert shown(status="all", q="bare") == {"Bare claim"}
    assert shown(status="all", q="ba\x00re") == {"Bare claim"}  # PostgreSQL refuses NUL
    html = reviewer_client.get(REVIEW).content.decode()
    for label in ("review-status", "review-outlet", "review-rating", "review-q"):
        assert f'<label for="{label}">' in html


def test_pagination(reviewer_client):
    for n in range(27):
        submitted(factories.ClaimFactory(statement=f"Paged claim {n:02d}"))
    first = reviewer_client.get(REVIEW).content.decode()
    second = reviewer_client.get(REVIEW, {"page": 2}).content.decode()
    assert first.count('class="review-row') == 25
    assert second.count('class="review-row') == 2


def _make(n_claims: int, n_outlets: int, reviewer_user):
    outlets = [factories.OutletFactory() for _ in range(n_outlets)]
    articles = [factories.ArticleFactory(outlet=o) for o in outlets]
    author = factories.EditorFactory()
    for i in range(n_claims):
        claim = factories.ClaimFactory()
        if i % 3:
            submitted(claim, author=author)
        for j, article in enumerate(articles):
            if (i + j) % 2 == 0:
                factories.AnnotationFactory(
                    claim=claim, article=article, author=author, stance=Stance.values[j % 3]
                )


@pytest.mark.parametrize(("n_claims", "n_outlets"), [(10, 2), (200, 6)])
def test_query_count_is_constant(
    reviewer_client, reviewer, django_assert_num_queries, n_claims, n_outlets
):
    _make(n_claims, n_outlets, reviewer)
    # session, user, permissions (2), outlets, count, page of claims, verdicts, their saved
    # versions, the viewer's wording and highlight changes (four eyes), matrix, quotes, and
    # whether the viewer's reviewer powers are in force (claims.policy.reviewer_hold), the
    # sparklines (spread), the radar's suggestions waiting per claim, and the menu's count of
    # verdicts waiting for the reviewer
    with django_assert_num_queries(17):
        response = reviewer_client.get(REVIEW, {"status": "all"})
    assert response.status_code == 200
    assert response.content.decode().count('class="review-row') == min(n_claims, 25)


# --- actions from the row -----------------------------------------------------------------


def test_approve_from_the_row_with_htmx(reviewer_client, reviewer, htmx_headers):
    verdict = submitted(factories.ClaimFactory(statement="To approve"))
    response = reviewer_client.post(
        reverse("verdict_approve", args=[verdict.pk]) + "?from=review",
        {"version": verdict.version, "next": REVIEW},
        headers=htmx_headers,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="review-row-{verdict.claim_id}"')
    assert "status-approved" in html and "Approved and published." in html
    verdict.refresh_from_db()
    assert verdict.status == Status.APPROVED and verdict.reviewer == reviewer
    assert response["Vary"] and "HX-Request" in response["Vary"]


def test_request_changes_from_the_row(reviewer_client, htmx_headers):
    verdict = submitted()
    url = reverse("verdict_request_changes", args=[verdict.pk]) + "?from=review"
    response = reviewer_client.post(url, {"version": verdict.version}, headers=htmx_headers)
    assert response.status_code == 422
    html = response.content.decode()
    assert "comment is required" in html
    # The refusal keeps the comment box open, where the reviewer was typing.
    assert '<details class="request-changes" open>' in html
    response = reviewer_client.post(
        url, {"version": verdict.version, "comment": "Cite the Kremlin."}, headers=htmx_headers
    )
    assert response.status_code == 200
    assert "status-changes_requested" in response.content.decode()
    transition = VerdictTransition.objects.filter(verdict=verdict).latest("at")
    assert transition.comment == "Cite the Kremlin."
    assert transition.to_status == Status.CHANGES_REQUESTED


def test_stale_version_is_refused_with_409(reviewer_client, htmx_headers):
    verdict = submitted()
    response = reviewer_client.post(
        reverse("verdict_approve", args=[verdict.pk]) + "?from=review",
        {"version": verdict.version - 1 if verdict.version > 1 else 99},
        headers=htmx_headers,
    )
    assert response.status_code == 409
    assert 'role="alert"' in response.content.decode()
    response = reviewer_client.post(
        reverse("verdict_request_changes", args=[verdict.pk]) + "?from=review",
        {"version": 99, "comment": "Keep me."},
        headers=htmx_headers,
    )
    assert response.status_code == 409
    assert ">Keep me.</textarea>" in response.content.decode()  # still in the form
    verdict.refresh_from_db()
    assert verdict.status == Status.SUBMITTED


def test_two_reviewers_at_once_one_wins(htmx_headers):
    from django.test import Client

    verdict = submitted()
    clients = []
    for _ in range(2):
        c = Client()
        c.force_login(factories.ReviewerFactory())
        clients.append(c)
    url = reverse("verdict_approve", args=[verdict.pk]) + "?from=review"
    first = clients[0].post(url, {"version": verdict.version}, headers=htmx_headers)
    second = clients[1].post(
        reverse("verdict_request_changes", args=[verdict.pk]) + "?from=review",
        {"version": verdict.version, "comment": "No."},
        headers=htmx_headers,
    )
    assert first.status_code == 200 and second.status_code == 409
    html = second.content.decode()
    assert "while you were looking at it" in html
    assert "Your comment was not sent: <q>No.</q>" in html  # given back, not lost
    verdict.refresh_from_db()
    assert verdict.status == Status.APPROVED


def _approve_button(client, verdict) -> bool:
    html = client.get(REVIEW).content.decode()
    assert f'id="review-row-{verdict.claim_id}"' in html
    return reverse("verdict_approve", args=[verdict.pk]) + "?from=review" in html


def test_a_reviewer_who_reworded_the_claim_sees_no_approve_button(reviewer, reviewer_client):
    """Four eyes on the grid is the server's: the claim's wording counts, not only the
    verdict (claims.services.publishing.contributors)."""
    verdict = submitted(factories.ClaimFactory(statement="The Kremlin said nothing"))
    other = factories.ReviewerFactory()
    assert _approve_button(reviewer_client, verdict)
    ClaimChange.objects.create(
        claim=verdict.claim, user=reviewer, statement_before="x", statement_after="y"
    )
    assert not _approve_button(reviewer_client, verdict)
    response = reviewer_client.post(
        reverse("verdict_approve", args=[verdict.pk]) + "?from=review",
        {"version": verdict.version},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 403  # what the missing button spared the reviewer
    client = Client()
    client.force_login(other)
    assert _approve_button(client, verdict)


def test_changes_before_the_publication_do_not_count(reviewer, reviewer_client):
    """A published claim: a highlight moved before the last publication is in the public
    record already; one moved after it is part of what approving would publish."""
    published = publish(at=timezone.now() - timedelta(days=2))
    claim = published.claim
    change = AnnotationChange.objects.create(
        annotation_key=1,
        article=factories.ArticleFactory(),
        action=AnnotationChange.Action.MOVED,
        user=reviewer,
        at=timezone.now() - timedelta(days=3),
        before={"claim": claim.pk},
        after={"claim": claim.pk},
    )
    verdict = submitted(claim)
    assert _approve_button(reviewer_client, verdict)
    AnnotationChange.objects.filter(pk=change.pk).update(at=timezone.now())
    assert not _approve_button(reviewer_client, verdict)


def test_four_eyes_no_approve_button_and_server_refuses(htmx_headers):
    from django.contrib.auth.models import Group
    from django.test import Client

    both = factories.ReviewerFactory()
    both.groups.add(Group.objects.get(name="Editors"))
    verdict = submitted(author=both)
    c = Client()
    c.force_login(both)
    html = c.get(REVIEW).content.decode()
    assert "You wrote or changed part of what approving would publish" in html
    assert reverse("verdict_approve", args=[verdict.pk]) + "?from=review" not in html
    assert reverse("verdict_request_changes", args=[verdict.pk]) + "?from=review" not in html
    response = c.post(
        reverse("verdict_approve", args=[verdict.pk]) + "?from=review",
        {"version": verdict.version},
        headers=htmx_headers,
    )
    assert response.status_code == 403
    assert "four eyes" in response.content.decode()
    # The last editor counts too.
    other = submitted(last_edited_by=both)
    response = c.post(
        reverse("verdict_approve", args=[other.pk]) + "?from=review", {"version": other.version}
    )
    assert response.status_code == 302
    other.refresh_from_db()
    verdict.refresh_from_db()
    assert other.status == verdict.status == Status.SUBMITTED


def test_without_javascript_actions_redirect_back_with_a_message(reviewer_client):
    verdict = submitted(factories.ClaimFactory(statement="Plain form"))
    back = REVIEW + "?status=all"
    response = reviewer_client.post(
        reverse("verdict_approve", args=[verdict.pk]) + "?from=review",
        {"version": verdict.version, "next": back},
        follow=True,
    )
    assert response.redirect_chain == [(back, 302)]
    assert "Approved and published." in response.content.decode()
    # An outside address is never a redirect target.
    verdict2 = submitted()
    response = reviewer_client.post(
        reverse("verdict_approve", args=[verdict2.pk]) + "?from=review",
        {"version": verdict2.version, "next": "https://evil.example/"},
    )
    assert response["Location"] == REVIEW


def test_without_javascript_a_refused_comment_is_shown_back(reviewer_client):
    verdict = submitted()
    response = reviewer_client.post(
        reverse("verdict_request_changes", args=[verdict.pk]) + "?from=review",
        {"version": verdict.version + 5, "comment": "Add the TASS link."},
        follow=True,
    )
    html = response.content.decode()
    assert "while you were looking at it" in html
    assert "Your comment was not sent: “Add the TASS link.”" in html


def test_missing_version_is_refused(reviewer_client):
    verdict = submitted()
    url = reverse("verdict_approve", args=[verdict.pk]) + "?from=review"
    response = reviewer_client.post(url, {}, headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert Verdict.objects.get(pk=verdict.pk).status == Status.SUBMITTED


def test_actions_need_post(reviewer_client):
    verdict = submitted()
    assert (
        reviewer_client.get(
            reverse("verdict_approve", args=[verdict.pk]) + "?from=review"
        ).status_code
        == 405
    )


# --- CSV ----------------------------------------------------------------------------------


def test_csv_exports_everything_the_filters_show(reviewer_client):
    outlet = factories.OutletFactory(name="online.ua")
    for n in range(30):
        v = submitted(factories.ClaimFactory(statement=f"Claim {n:02d}"))
        factories.AnnotationFactory(claim=v.claim, article=factories.ArticleFactory(outlet=outlet))
    factories.VerdictFactory(claim=factories.ClaimFactory(statement="A draft"))
    html = reviewer_client.get(REVIEW).content.decode()
    assert "Download CSV" in html and "format=csv" in html
    response = reviewer_client.get(REVIEW, {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(_body(response))))
    assert rows[0][:8] == [
        "claim", "slug", "rating", "status", "author", "last edited by", "updated",
        "approved by",
    ]  # fmt: skip
    assert "online.ua" in rows[0]
    assert len(rows) == 31  # every submitted claim, not just the first page
    assert all(r[3] == "submitted" for r in rows[1:])
    assert {r[rows[0].index("online.ua")] for r in rows[1:]} == {"asserts ×1"}


def test_csv_says_who_approved_and_names_its_filters(reviewer_client, reviewer):
    """QA: no "approved by" column, and the default download (claims awaiting review) could
    be a header row with nothing to say why."""
    approver = factories.ReviewerFactory(username="rui")
    factories.VerdictFactory(
        claim=factories.ClaimFactory(statement="Approved one"),
        status=Status.APPROVED, reviewer=approver, approved_at=timezone.now(),
    )  # fmt: skip
    submitted(factories.ClaimFactory(statement="Waiting one"))
    today = timezone.localdate().isoformat()

    response = reviewer_client.get(REVIEW, {"format": "csv"})
    assert response["Content-Disposition"] == (
        f'attachment; filename="review-awaiting-review-{today}.csv"'
    )
    response = reviewer_client.get(REVIEW, {"format": "csv", "status": "all"})
    assert f'filename="review-all-{today}.csv"' in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(_body(response))))
    assert {r["claim"]: r["approved by"] for r in rows} == {
        "Approved one": "rui",
        "Waiting one": "",
    }

    outlet = factories.OutletFactory(name="The Moscow Times")
    cyrillic = factories.OutletFactory(name="Газета")
    factories.ArticleFactory(outlet=outlet)
    factories.ArticleFactory(outlet=cyrillic)
    query = {"format": "csv", "status": "approved", "outlet": outlet.pk, "rating": "false"}
    response = reviewer_client.get(REVIEW, {**query, "q": "Putin's call"})
    name = f"review-approved-the-moscow-times-false-matching-putins-call-{today}.csv"
    assert f'filename="{name}"' in response["Content-Disposition"]
    response = reviewer_client.get(REVIEW, {**query, "outlet": cyrillic.pk})
    assert (
        f'filename="review-approved-outlet-{cyrillic.pk}-false-{today}.csv"'
        in (response["Content-Disposition"])
    )


@pytest.mark.parametrize("payload", ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)"])
def test_csv_cells_cannot_be_formulas(reviewer_client, payload):
    submitted(factories.ClaimFactory(statement=payload))
    rows = list(csv.reader(io.StringIO(_body(reviewer_client.get(REVIEW, {"format": "csv"})))))
    assert rows[1][0] == "'" + payload


# --- garbled input ------------------------------------------------------------------------


@pytest.mark.parametrize("outlet", ["²", str(2**70)])
def test_a_garbled_outlet_filter_is_ignored_not_a_500(reviewer_client, outlet):
    submitted(factories.ClaimFactory(statement="Still listed"))
    response = reviewer_client.get(REVIEW, {"outlet": outlet})
    assert response.status_code == 200
    assert "Still listed" in response.content.decode()


@pytest.mark.parametrize(
    "target",
    ["abc", "0", "None", "javascript:alert(1)", "//evil.example/", "/x\r\nSet-Cookie: a=b"],
)
def test_a_next_that_is_not_a_path_goes_back_to_the_review_page(reviewer_client, target):
    verdict = submitted()
    response = reviewer_client.post(
        reverse("verdict_approve", args=[verdict.pk]) + "?from=review",
        {"version": verdict.version, "next": target},
    )
    assert response.status_code == 302 and response["Location"] == REVIEW
    assert Verdict.objects.get(pk=verdict.pk).status == Status.APPROVED


def test_a_nul_byte_in_a_row_comment_is_dropped_not_a_500(reviewer_client, htmx_headers):
    # PostgreSQL refuses NUL in text; the history keeps the rest of the comment.
    verdict = submitted()
    response = reviewer_client.post(
        reverse("verdict_request_changes", args=[verdict.pk]) + "?from=review",
        {"version": verdict.version, "comment": "Add\x00 the TASS link."},
        headers=htmx_headers,
    )
    assert response.status_code == 200
    transition = VerdictTransition.objects.get(verdict=verdict)
    assert transition.comment == "Add the TASS link."


def test_a_published_claim_with_an_open_draft_shows_both(reviewer_client):
    from claims.services.publishing import mark_changed

    verdict = publish(rating="false")
    factories.VerdictFactory(claim=verdict.claim, status=Status.DRAFT, rating="mostly_false")
    mark_changed([verdict.claim_id])
    html = reviewer_client.get(REVIEW, {"status": "all"}).content.decode()
    assert "Published:" in html and "rating-false" in html and "rating-mostly_false" in html
    assert "Unpublished changes</a>" in html
    only = reviewer_client.get(REVIEW, {"status": "unpublished"})
    assert [row.claim.pk for row in only.context["rows"]] == [verdict.claim_id]


def test_current_for_is_the_open_verdict_else_the_latest_approved():
    claim = factories.ClaimFactory()
    assert Verdict.objects.current_for(claim) is None
    approved = publish(claim)
    assert Verdict.objects.current_for(claim) == approved
    assert Verdict.objects.latest_approved_for(claim) == approved
    draft = factories.VerdictFactory(claim=claim, status=Status.DRAFT)
    assert Verdict.objects.current_for(claim) == draft
    assert Verdict.objects.latest_approved_for(claim) == approved


def _body(response) -> str:
    """A streamed export's text (the CSV export streams: claims.views.review._csv)."""
    assert response.streaming
    return b"".join(response.streaming_content).decode()


# --- the menu's count of what waits for the reviewer (issue 25) ----------------------------


def _menu_count(client, url="/desk/"):
    html = client.get(url).content.decode()
    match = re.search(r'href="/desk/review/">Review(?: <span class="nav-count">(\d+))?', html)
    assert match, "no Review entry in the menu"
    return int(match[1]) if match[1] else 0


def test_the_menu_counts_the_verdicts_waiting_for_the_reviewer(
    reviewer, reviewer_client, editor_client, django_assert_num_queries
):
    from claims.selectors.review import waiting_count
    from claims.services import verdicts

    assert _menu_count(reviewer_client) == 0
    submitted()
    submitted()
    factories.VerdictFactory(status=Status.DRAFT)  # not submitted: not waiting
    factories.VerdictFactory(status=Status.APPROVED, approved_at=timezone.now())
    # Written by the reviewer themselves: not theirs to review (four eyes).
    submitted(author=reviewer)
    saved_by_reviewer = factories.VerdictFactory(status=Status.DRAFT)
    saved_by_reviewer.versions.create(
        number=1, rating="false", summary="x", saved_by=reviewer, saved_at=timezone.now()
    )
    Verdict.objects.filter(pk=saved_by_reviewer.pk).update(status=Status.SUBMITTED)
    html = reviewer_client.get("/desk/").content.decode()
    assert _menu_count(reviewer_client) == 2
    assert '2<span class="visually-hidden"> verdicts await your review</span>' in html
    # One query, whatever the number of verdicts.
    with django_assert_num_queries(1):
        assert waiting_count(reviewer) == 2
    for _ in range(5):
        submitted()
    with django_assert_num_queries(1):
        assert waiting_count(reviewer) == 7
    # An approval takes it off the count.
    verdict = Verdict.objects.filter(status=Status.SUBMITTED).exclude(author=reviewer).first()
    verdicts.verdict_approve(verdict=verdict, user=reviewer, version=verdict.version)
    assert _menu_count(reviewer_client) == 6
    # Editors have no Review entry, and pay no query for it.
    assert 'href="/desk/review/"' not in editor_client.get("/desk/").content.decode()
