"""About, methodology and rating-scale pages; the verdict and origin blocks of a fact
check; its share image; the claimant's type in ClaimReview."""

import datetime
import io

import pytest
from django.urls import reverse
from PIL import Image

from claims.models import ClaimantType, ClaimChange, Page, Rating
from tests import factories
from tests.claims.helpers import jsonld, publish, republish

pytestmark = pytest.mark.django_db


# --- pages admins write ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("page_about", "About us"),
        ("page_methodology", "How we fact-check"),
        ("page_ratings", "Our ratings"),
    ],
)
def test_the_seeded_pages_are_public_and_linked_from_every_page(client, name, title):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{title}</h1>" in html
    assert "public" in response["Cache-Control"]
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse(name)}"' in home


def test_the_ratings_page_explains_every_rating(client):
    html = client.get(reverse("page_ratings")).content.decode()
    for label in Rating.labels:
        assert f"<strong>{label}</strong>" in html


def test_admins_edit_pages_in_markdown_sanitised(admin_client, client):
    page = Page.objects.get(slug="about")
    response = admin_client.post(
        reverse("admin:claims_page_change", args=[page.pk]),
        {
            "title": "About the desk",
            "description": "Who we are.",
            "body": "## Team\n\nWe are *three*. <script>alert(1)</script>",
        },
    )
    assert response.status_code == 302
    html = client.get(reverse("page_about")).content.decode()
    assert "<h1>About the desk</h1>" in html
    assert "<h2>Team</h2>" in html and "<em>three</em>" in html
    assert "<script>alert" not in html


def test_a_deleted_page_is_a_404(client):
    Page.objects.filter(slug="methodology").delete()
    assert client.get(reverse("page_methodology")).status_code == 404


def test_pages_answer_conditional_requests(client):
    response = client.get(reverse("page_about"))
    again = client.get(reverse("page_about"), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


# --- the fact check page ------------------------------------------------------------------------


@pytest.fixture
def published_claim():
    claim = factories.ClaimFactory(
        statement="Putin congratulated Trump", claimant="The Washington Post"
    )
    first = factories.ArticleFactory(
        title="Putin called Trump",
        published_on=datetime.date(2024, 11, 7),
        url="https://outlet.example/first",
        outlet=factories.OutletFactory(name="Outlet One"),
    )
    later = factories.ArticleFactory(published_on=datetime.date(2024, 11, 9))
    factories.AnnotationFactory(claim=claim, article=first)
    factories.AnnotationFactory(claim=claim, article=later)
    publish(claim, rating=Rating.FALSE)
    return claim


def test_the_verdict_and_origin_blocks(client, published_claim):
    html = client.get(published_claim.get_absolute_url()).content.decode()
    # The claim is the page's heading, said once: no "Claim:" row repeating it below.
    assert '<h1 class="claim-statement">Putin congratulated Trump</h1>' in html
    assert "<dt>Claim:</dt>" not in html and "<dd>Putin congratulated Trump</dd>" not in html
    assert "<dt>Our verdict:</dt>" in html and "rating-big rating-false" in html
    assert f'href="{reverse("page_ratings")}"' in html
    assert "Claimed by The Washington Post" in html
    assert 'href="https://outlet.example/first"' in html
    assert '<time datetime="2024-11-07">7 November 2024</time>' in html
    assert "Outlet One" in html


def test_og_image_points_at_the_revision_share_image(client, published_claim):
    html = client.get(published_claim.get_absolute_url()).content.decode()
    url = reverse("claim_share_image", args=[published_claim.slug])
    revision = published_claim.revisions.get()
    assert f'<meta property="og:image" content="http://testserver{url}?v={revision.pk}">' in html


def test_share_image_is_a_png_from_the_published_revision(client, published_claim):
    url = reverse("claim_share_image", args=[published_claim.slug])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "public" in response["Cache-Control"] and response["ETag"]
    image = Image.open(io.BytesIO(response.content))
    assert image.size == (1200, 630)
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    # A new revision: a new ETag (and a new ?v= in og:image).
    published_claim.statement = "Putin congratulated Trump in writing"
    published_claim.save()
    republish(published_claim)
    assert client.get(url)["ETag"] != response["ETag"]


def test_share_image_of_an_unpublished_claim_is_a_404(client):
    claim = factories.ClaimFactory()
    assert client.get(reverse("claim_share_image", args=[claim.slug])).status_code == 404


def test_share_image_draws_cyrillic_and_long_statements():
    from public.share_image import render_share_image

    png = render_share_image(
        statement="Путін привітав Трампа " * 30, rating="mixed", rating_label="Mixed", site_name="X"
    )
    assert Image.open(io.BytesIO(png)).size == (1200, 630)


def test_share_image_draws_no_empty_boxes_for_emoji():
    """The fonts have no emoji: they are left out, never drawn as empty boxes."""
    from public.share_image import _font, drawable, render_share_image

    font = _font(54, bold=True)
    assert drawable("Putin 🎉 congratulated 🇺🇸 Trump", font) == "Putin congratulated Trump"
    assert drawable("Путін привітав Трампа — «так»", font) == "Путін привітав Трампа — «так»"
    with_emoji = render_share_image(
        statement="Putin 🎉 congratulated Trump", rating="false", rating_label="False",
        site_name="X",
    )  # fmt: skip
    without = render_share_image(
        statement="Putin congratulated Trump", rating="false", rating_label="False",
        site_name="X",
    )  # fmt: skip
    assert with_emoji == without


# --- the claimant's type -----------------------------------------------------------------


def test_claimant_type_is_stored_and_published(client, editor_client, published_claim):
    (data,) = jsonld(client.get(published_claim.get_absolute_url()))
    # Not said yet: guessed from the name.
    assert data["itemReviewed"]["author"] == {
        "@type": "Organization",
        "name": "The Washington Post",
    }
    assert data["itemReviewed"]["datePublished"] == "2024-11-07"
    response = editor_client.post(
        reverse("claim_detail", args=[published_claim.pk]),
        {
            "statement": published_claim.statement,
            "claimant": "Max Post",
            "claimant_type": ClaimantType.PERSON,
        },
    )
    assert response.status_code == 302
    published_claim.refresh_from_db()
    assert published_claim.claimant_type == ClaimantType.PERSON
    assert published_claim.has_unpublished_changes
    assert ClaimChange.objects.filter(claim=published_claim).exists()
    republish(published_claim)
    (data,) = jsonld(client.get(published_claim.get_absolute_url()))
    assert data["itemReviewed"]["author"] == {"@type": "Person", "name": "Max Post"}


def test_a_type_only_change_is_a_pending_change(editor_client, published_claim):
    response = editor_client.post(
        reverse("claim_detail", args=[published_claim.pk]),
        {
            "statement": published_claim.statement,
            "claimant": published_claim.claimant,
            "claimant_type": ClaimantType.ORGANIZATION,
        },
    )
    assert response.status_code == 302
    published_claim.refresh_from_db()
    assert published_claim.has_unpublished_changes
    page = editor_client.get(reverse("claim_detail", args=[published_claim.pk]))
    assert "<dt>Claimant is</dt>" in page.content.decode()


def test_the_desk_form_offers_the_guess(editor_client, published_claim):
    html = editor_client.get(reverse("claim_detail", args=[published_claim.pk])).content.decode()
    assert '<option value="organization" selected>Organization</option>' in html
