"""The public site: what anonymous visitors see, and what they never see."""

import datetime
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from claims.models import Claim, PublishedRevision, Rating, Stance, Status
from public.selectors.pages import fact_check_page
from tests import factories
from tests.claims.helpers import jsonld, parse, publish, republish

pytestmark = pytest.mark.django_db


# --- home ---------------------------------------------------------------------------------


def test_home_empty_state(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "No fact checks published yet" in response.content.decode()


def test_home_lists_published_fact_checks_newest_first(client):
    now = timezone.now()
    old = publish(at=now - timedelta(days=3), claim=factories.ClaimFactory(statement="Old one"))
    new = publish(at=now - timedelta(days=1), claim=factories.ClaimFactory(statement="New one"))
    factories.VerdictFactory(claim=factories.ClaimFactory(statement="Draft only"))
    html = client.get(reverse("home")).content.decode()
    assert html.index("New one") < html.index("Old one")
    assert "Draft only" not in html
    assert f'href="{new.claim.get_absolute_url()}"' in html
    assert f"rating-{old.rating}" in html


def test_home_shows_the_latest_approved_verdict_once_per_claim(client):
    claim = factories.ClaimFactory(statement="Corrected claim")
    now = timezone.now()
    publish(claim, at=now - timedelta(days=2), rating=Rating.MIXED)
    publish(claim, at=now - timedelta(days=1), rating=Rating.FALSE)
    html = client.get(reverse("home")).content.decode()
    assert html.count("Corrected claim") == 1
    assert "rating-false" in html and "rating-mixed" not in html


def test_home_search_and_rating_filter(client):
    publish(claim=factories.ClaimFactory(statement="Putin congratulated Trump"), rating="false")
    publish(
        claim=factories.ClaimFactory(statement="Trump promised peace in 24 hours"),
        rating="misleading",
        summary="He said so at a rally.",
        summary_html="<p>He said so at a rally.</p>",
    )
    html = client.get(reverse("home"), {"q": "putin"}).content.decode()
    assert "Putin congratulated" in html and "24 hours" not in html
    html = client.get(reverse("home"), {"q": "rally"}).content.decode()
    assert "24 hours" in html and "Putin congratulated" not in html
    html = client.get(reverse("home"), {"rating": "misleading"}).content.decode()
    assert "24 hours" in html and "Putin congratulated" not in html
    html = client.get(reverse("home"), {"q": "nothing\x00 like this"}).content.decode()
    assert "No fact check matches" in html
    assert '<label for="home-q">' in html and '<label for="home-rating">' in html


@pytest.mark.parametrize("n", [2, 12])
def test_home_query_count_is_constant(client, django_assert_num_queries, n):
    for _ in range(n):
        v = publish()
        factories.EvidenceLinkFactory(verdict=v)
        factories.AnnotationFactory(claim=v.claim)
    # conditional-request state (which counts the fact checks for the pages), the page of
    # revisions, and the state again before the server keeps the page; then only the state
    # (the kept page)
    with django_assert_num_queries(3):
        assert client.get(reverse("home")).status_code == 200
    with django_assert_num_queries(1):
        assert client.get(reverse("home")).status_code == 200


# --- claim page ---------------------------------------------------------------------------


def test_claim_page_is_404_until_approved(client):
    claim = factories.ClaimFactory()
    assert client.get(claim.get_absolute_url()).status_code == 404
    factories.VerdictFactory(claim=claim, status=Status.SUBMITTED)
    assert client.get(claim.get_absolute_url()).status_code == 404
    assert client.get("/claims/no-such-claim/").status_code == 404


def test_a_quote_across_a_wrapped_line_reads_as_one_line(client):
    """A quote from a hard-wrapped file shows its soft line break as a space (the quotes are
    drawn with their line breaks, white-space: pre-line); the snapshot keeps the exact text."""
    claim = factories.ClaimFactory()
    article = factories.ArticleFactory(
        body=(
            "Russian President Vladimir Putin does not plan to offer his congratulations to\n"
            "Donald Trump, Kremlin spokesman Dmitry Peskov said Wednesday.\n"
        ),
        language="en",
    )
    factories.AnnotationFactory(claim=claim, article=article, quote="to\nDonald Trump")
    publish(claim)
    html = client.get(claim.get_absolute_url()).content.decode()
    assert '<blockquote lang="en">to Donald Trump</blockquote>' in html
    revision = PublishedRevision.objects.get(pk=claim.published_revision_id)
    assert revision.appearances[0]["quotes"][0]["quote"] == "to\nDonald Trump"


def test_claim_page_shows_the_fact_check(client):
    claim = factories.ClaimFactory(
        statement="Putin congratulated Trump via intermediaries", claimant="Vedomosti"
    )
    early = factories.ArticleFactory(
        outlet=factories.OutletFactory(name="online.ua"),
        published_on=datetime.date(2024, 11, 7),
        title="Putin congratulated Trump",
    )
    late = factories.ArticleFactory(
        outlet=factories.OutletFactory(name="Caliber.az"),
        published_on=datetime.date(2024, 11, 9),
        title="Kremlin denies",
    )
    factories.AnnotationFactory(
        claim=claim, article=late, quote="denied it", stance=Stance.DISPUTES
    )
    factories.AnnotationFactory(
        claim=claim, article=early, quote="Putin congratulated Trump via intermediaries"
    )
    factories.AnnotationFactory(claim=claim, article=early, quote="Thursday", orphaned=True)
    publish(
        claim,
        rating=Rating.FALSE,
        summary="**No**",
        summary_html="<p><strong>No</strong> evidence.</p>",
        evidence=[{"url": "https://kremlin.example/denial", "title": "Kremlin denial"}],
    )
    response = client.get(claim.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "<p><strong>No</strong> evidence.</p>" in html
    assert "Claimed by Vedomosti" in html
    assert "rating-big rating-false" in html
    assert (
        '<a href="https://kremlin.example/denial" rel="nofollow noopener noreferrer">'
        "Kremlin denial</a>" in html
    )
    assert html.index("online.ua") < html.index("Caliber.az")
    assert '<blockquote lang="en">denied it</blockquote>' in html
    assert "Disputes the claim" in html and "Repeats the claim" in html  # reader's words
    assert "Thursday</blockquote>" not in html  # orphaned: points at no words
    assert early.body not in html  # quotes only, never whole articles
    assert f'<link rel="canonical" href="http://testserver{claim.get_absolute_url()}">' in html
    assert '<meta property="og:title" content="False: Putin congratulated' in html


def _viral(n: int):
    """A published claim whose revision lists ``n`` articles (written into the snapshot)."""
    claim = publish().claim
    entries = [
        {
            "outlet": f"Outlet {i}",
            "title": f"Article {i}",
            "published_on": None,
            "url": "",
            "language": "en",
            "quotes": [{"quote": f"Quote {i}", "stance": "asserts"}],
        }
        for i in range(n)
    ]
    # As publishing.snapshot writes them: the entries and their count.
    PublishedRevision.objects.filter(pk=claim.published_revision_id).update(
        appearances=entries, article_count=n
    )
    return claim


def test_a_viral_claims_page_lists_the_first_appearances_only(client):
    claim = _viral(230)
    page = fact_check_page(claim.slug)
    # The snapshot's list stays in the database: only the first 25 are read.
    assert "appearances" in page.revision.get_deferred_fields()
    assert [a.title for a in page.appearances] == [f"Article {i}" for i in range(25)]
    assert page.appearance_total == 230 and page.more_appearances == 205
    html = client.get(claim.get_absolute_url()).content.decode()
    assert "Article 24</a>" not in html and "<cite>Article 24</cite>" in html
    assert "<cite>Article 25</cite>" not in html
    assert "Show all 230 articles</a> (205 more)" in html
    assert "reported in 230 articles" in html
    data = jsonld(client.get(claim.get_absolute_url()))[0]
    assert len(data["itemReviewed"]["appearance"]) == 25


def test_all_appearances_are_paged(client):
    claim = _viral(230)
    url = reverse("claim_appearances", args=[claim.slug])
    first = client.get(url).content.decode()
    assert "<cite>Article 99</cite>" in first and "<cite>Article 100</cite>" not in first
    assert '<ol class="appearance-list" start="1">' in first
    assert "Page 1 of 3" in first and 'href="?page=2" rel="next"' in first
    assert "Back to the fact check" in first and "Show all" not in first
    last = client.get(url, {"page": 3}).content.decode()
    assert "<cite>Article 200</cite>" in last and "<cite>Article 229</cite>" in last
    assert "<cite>Article 199</cite>" not in last
    assert '<ol class="appearance-list" start="201">' in last
    # The fact check's origin and JSON-LD are the same on every page: its first appearances.
    assert "First seen in" in last and "<cite>Article 0</cite>" in last
    data = jsonld(client.get(url, {"page": 3}))[0]
    assert data["itemReviewed"]["firstAppearance"]["headline"] == "Article 0"
    for page in ("4", "0", "x", "-1", "1" * 30):
        assert client.get(url, {"page": page}).status_code == 404, page
    assert client.get(reverse("claim_appearances", args=["no-such-claim"])).status_code == 404


def test_a_newer_draft_never_leaks(client):
    claim = factories.ClaimFactory()
    publish(claim, rating=Rating.FALSE, summary_html="<p>Public summary.</p>")
    draft = factories.VerdictFactory(
        claim=claim,
        status=Status.DRAFT,
        rating=Rating.TRUE,
        summary_html="<p>Secret draft.</p>",
    )
    factories.EvidenceLinkFactory(verdict=draft, title="Draft evidence")
    before = client.get(claim.get_absolute_url()).content.decode()
    assert "Public summary." in before
    for status in (Status.SUBMITTED, Status.CHANGES_REQUESTED):
        draft.status = status
        draft.save()
        html = client.get(claim.get_absolute_url()).content.decode()
        assert "Secret draft." not in html and "Draft evidence" not in html
        assert "rating-true" not in html
    assert jsonld(client.get(claim.get_absolute_url()))[0]["reviewRating"]["alternateName"] == (
        "False"
    )


def test_corrections_log(client):
    claim = factories.ClaimFactory()
    first = timezone.now() - timedelta(days=5)
    publish(claim, at=first, rating=Rating.MIXED)
    publish(
        claim,
        at=first + timedelta(days=2),
        rating=Rating.FALSE,
        correction_note="A second source was found to be forged.",
    )
    html = client.get(claim.get_absolute_url()).content.decode()
    assert "Updates and corrections" in html
    assert "A second source was found to be forged." in html
    assert "rating changed from" in html
    assert f"{first:%-d %B %Y}" in html  # first published


def test_claim_without_corrections_has_no_log(client):
    claim = publish().claim
    assert "Updates and corrections" not in client.get(claim.get_absolute_url()).content.decode()


def test_evidence_that_is_not_http_is_not_a_link(client):
    verdict = factories.VerdictFactory()
    link = factories.EvidenceLinkFactory(verdict=verdict, title="Odd")
    # The database refuses non-http schemes; a control character slips past that check.
    type(link).objects.filter(pk=link.pk).update(url="https://exa\tmple.org/")
    verdict.status, verdict.approved_at = Status.APPROVED, timezone.now()
    verdict.save()
    republish(verdict.claim)
    html = client.get(verdict.claim.get_absolute_url()).content.decode()
    assert "Odd" in html and "exa\tmple" not in html


# --- JSON-LD ------------------------------------------------------------------------------


def test_claim_review_jsonld_shape(client, settings):
    settings.SITE_NAME = "Test Checkers"
    claim = factories.ClaimFactory(statement="Putin congratulated Trump", claimant="Kremlin")
    verdict = publish(claim, rating=Rating.MOSTLY_FALSE)
    a1 = factories.ArticleFactory(
        published_on=datetime.date(2024, 11, 8), url="https://outlet.example/a"
    )
    a2 = factories.ArticleFactory(published_on=datetime.date(2024, 11, 7), url="")
    factories.AnnotationFactory(claim=claim, article=a1)
    factories.AnnotationFactory(claim=claim, article=a2)
    factories.AnnotationFactory(claim=claim, article=a2, quote="Putin")
    republish(claim)
    (data,) = jsonld(client.get(claim.get_absolute_url()))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "ClaimReview"
    assert data["claimReviewed"] == "Putin congratulated Trump"
    assert data["url"] == f"http://testserver{claim.get_absolute_url()}"
    assert data["datePublished"] == verdict.approved_at.date().isoformat()
    assert data["author"] == {
        "@type": "Organization",
        "name": "Test Checkers",
        "url": "http://testserver/",
    }
    assert data["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Mostly false",
        "ratingValue": 2,
        "bestRating": 5,
        "worstRating": 1,
    }
    item = data["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {"@type": "Organization", "name": "Kremlin"}
    assert [a["headline"] for a in item["appearance"]] == [a2.title, a1.title]  # one per article
    assert item["firstAppearance"]["headline"] == a2.title
    assert item["firstAppearance"]["datePublished"] == "2024-11-07"
    assert item["firstAppearance"]["publisher"] == {
        "@type": "Organization",
        "name": a2.outlet.name,
    }
    assert "url" not in item["firstAppearance"]
    assert item["appearance"][1]["url"] == "https://outlet.example/a"


@pytest.mark.parametrize("rating", [Rating.MISLEADING, Rating.UNPROVEN])
def test_unnumbered_ratings_have_no_rating_value(client, rating):
    claim = publish(rating=rating).claim
    (data,) = jsonld(client.get(claim.get_absolute_url()))
    assert data["reviewRating"] == {"@type": "Rating", "alternateName": rating.label}
    assert "author" not in data["itemReviewed"]  # claimant unknown
    assert "appearance" not in data["itemReviewed"]


def test_jsonld_cannot_be_broken_out_of(client):
    statement = '</script><script>alert(1)</script> & <!-- "quoted"'
    claim = publish(claim=factories.ClaimFactory(statement=statement)).claim
    response = client.get(claim.get_absolute_url())
    page = parse(response.content.decode())
    ld = [text for attrs, text in page.scripts if attrs.get("type") == "application/ld+json"]
    assert len(ld) == 1
    assert "<" not in ld[0] and ">" not in ld[0] and "&" not in ld[0]
    assert jsonld(response)[0]["claimReviewed"] == statement
    assert all(
        attrs.get("type") == "application/ld+json" or attrs.get("src") for attrs, _ in page.scripts
    )


# --- cookies and conditional requests -----------------------------------------------------


def test_public_pages_set_no_cookies(client):
    claim = publish().claim
    for url in (reverse("home"), claim.get_absolute_url(), reverse("claims_feed"), "/sitemap.xml"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert not response.cookies, (url, response.cookies)
        assert "X-CSRFToken" not in response.content.decode()


def test_signed_in_pages_still_carry_the_csrf_header(reviewer_client):
    html = reviewer_client.get(reverse("home")).content.decode()
    assert 'hx-headers=\'{"X-CSRFToken"' in html


def test_home_answers_conditional_requests(client):
    publish()
    first = client.get(reverse("home"))
    assert first.has_header("ETag") and first.has_header("Last-Modified")
    again = client.get(reverse("home"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    since = client.get(reverse("home"), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    publish(at=timezone.now() + timedelta(seconds=5))
    assert client.get(reverse("home"), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    later = http_date((timezone.now() - timedelta(days=1)).timestamp())
    assert client.get(reverse("home"), HTTP_IF_MODIFIED_SINCE=later).status_code == 200


def test_claim_page_answers_conditional_requests(client):
    verdict = publish()
    url = verdict.claim.get_absolute_url()
    first = client.get(url)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    # A new appearance changes nothing public until it is published...
    factories.AnnotationFactory(claim=verdict.claim)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    # ...then the old ETag no longer matches.
    republish(verdict.claim)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_an_open_draft_does_not_change_the_etag(client):
    verdict = publish()
    url = verdict.claim.get_absolute_url()
    etag = client.get(url)["ETag"]
    factories.VerdictFactory(claim=verdict.claim, status=Status.SUBMITTED)
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_signed_in_users_get_no_conditional_answers(reviewer_client):
    response = reviewer_client.get(reverse("home"))
    assert not response.has_header("ETag")


# --- feed, sitemap, slugs -----------------------------------------------------------------


def test_atom_feed(client):
    verdict = publish(claim=factories.ClaimFactory(statement="Published claim"))
    factories.VerdictFactory(claim=factories.ClaimFactory(statement="Unpublished claim"))
    response = client.get(reverse("claims_feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    xml = response.content.decode()
    assert "<feed" in xml and "Published claim" in xml and "Unpublished claim" not in xml
    assert f"<id>http://testserver{verdict.claim.get_absolute_url()}</id>" in xml


def test_sitemap(client):
    verdict = publish()
    hidden = factories.VerdictFactory(status=Status.SUBMITTED)
    index = client.get("/sitemap.xml").content.decode()
    assert "<sitemapindex" in index
    sections = re.findall(r"<loc>http://testserver(/sitemap-\w+\.xml)</loc>", index)
    assert sections == ["/sitemap-home.xml", "/sitemap-claims.xml"]
    xml = "".join(client.get(section).content.decode() for section in sections)
    assert f"<loc>http://testserver{verdict.claim.get_absolute_url()}</loc>" in xml
    assert "<loc>http://testserver/</loc>" in xml
    for page in ("about", "methodology", "ratings"):
        assert f"<loc>http://testserver/{page}/</loc>" in xml
    assert hidden.claim.slug not in xml


def test_the_feed_slug_is_reserved():
    claim = Claim.objects.create(statement="Feed")
    assert claim.slug == "feed-2"
    assert Claim.unique_slug("feed") == "feed-3"


@pytest.mark.parametrize(("n", "queries"), [(1, 5), (2, 6), (8, 6)])
def test_claim_page_query_count_is_constant(client, django_assert_num_queries, n, queries):
    claim = factories.ClaimFactory()
    for _ in range(n):
        factories.AnnotationFactory(claim=claim)
        publish(claim, evidence=[{"title": "Evidence"}])
    # conditional-request state, the revision, its first appearances (read once per revision
    # and kept), the claim's revisions for the update log (only once there is a second
    # revision: a first one has none), and the state again before the server keeps the page,
    # the spread timeline's appearances (drawn once per revision); then only the state (the
    # kept page)
    with django_assert_num_queries(queries):
        assert client.get(claim.get_absolute_url()).status_code == 200
    with django_assert_num_queries(1):
        assert client.get(claim.get_absolute_url()).status_code == 200


def test_claims_alone_leads_to_the_list_of_fact_checks(client):
    """/claims/ (an address cut back from a fact check's) is the home page's list, in the
    reader's language, with a search kept."""
    response = client.get("/claims/?q=putin")
    assert response.status_code == 301 and response["Location"] == "/?q=putin"
    assert client.get("/uk/claims/")["Location"] == "/uk/"


def test_a_search_pages_through_its_matches_without_counting_them(client):
    """Page 1 of a search with 23 matches shows 20 and a next page; page 2 the other 3 and
    none; a page past the matches shows the first. The pages say "Page 2", not "of N"."""
    for n in range(23):
        publish(claim=factories.ClaimFactory(statement=f"Putin congratulated Trump, part {n}"))
    publish(claim=factories.ClaimFactory(statement="Zelensky met Macron"))
    first = client.get(reverse("home"), {"q": "putin trump"}).content.decode()
    assert first.count('class="factcheck-card"') == 20 and 'rel="next"' in first
    assert "Page 1" in first and "Page 1 of" not in first
    second = client.get(reverse("home"), {"q": "putin trump", "page": 2}).content.decode()
    assert second.count('class="factcheck-card"') == 3 and 'rel="next"' not in second
    assert "Zelensky" not in first + second
    shown = set(re.findall(r"part (\d+)", first + second))
    assert shown == {str(n) for n in range(23)}
    past = client.get(reverse("home"), {"q": "putin trump", "page": 9}).content.decode()
    assert past.count('class="factcheck-card"') == 20
