"""The claims desk pages: the list with reach and verdict status, and one claim's appearances."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Claim, Stance, Status
from claims.sentences import sentence_around
from tests.factories import (
    AnnotationFactory,
    ArticleFactory,
    ClaimFactory,
    OutletFactory,
    UserFactory,
    VerdictFactory,
)

pytestmark = pytest.mark.django_db
LIST = reverse("claim_list")


def detail(claim):
    return reverse("claim_detail", args=[claim.pk])


# Sentence extraction -------------------------------------------------------------------


def test_sentence_around_takes_the_whole_sentence():
    body = "First. Putin congratulated Trump via intermediaries, a source said! Next one?\nLast"
    start = body.index("congratulated")
    s = sentence_around(body, start, start + len("congratulated Trump"))
    assert (s.before, s.quote, s.after) == (
        "Putin ",
        "congratulated Trump",
        " via intermediaries, a source said!",
    )
    assert not s.clipped_before and not s.clipped_after


def test_sentence_around_stops_at_line_breaks_and_clips_long_sentences():
    body = "Headline\n" + "word " * 200 + "QUOTE " + "tail " * 200 + "end."
    start = body.index("QUOTE")
    s = sentence_around(body, start, start + 5, limit=100)
    assert s.quote == "QUOTE"
    assert s.clipped_before and s.clipped_after
    assert len(s.before) + len(s.after) <= 95
    assert "Headline" not in s.before
    short = sentence_around(body, 0, 8)
    assert (short.before, short.quote, short.after) == ("", "Headline", "")


def test_a_soft_line_break_neither_ends_the_sentence_nor_shows():
    """A hard-wrapped file (articles.text.soft_breaks): the newline inside the paragraph is
    a space in the context; the blank line before the next paragraph still ends it."""
    body = (
        "Russian President Vladimir Putin does not plan to offer his congratulations to\n"
        "Donald Trump, Kremlin spokesman Dmitry Peskov said Wednesday, as the former\n"
        "U.S. president was on the cusp of a second term\n\n"
        "Next paragraph."
    )
    start = body.index("Kremlin spokesman")
    s = sentence_around(body, start, start + len("Kremlin spokesman"))
    assert s.before == (
        "Russian President Vladimir Putin does not plan to offer his congratulations to "
        "Donald Trump, "
    )
    assert s.after == (
        " Dmitry Peskov said Wednesday, as the former U.S. president was on the cusp "
        "of a second term"
    )
    assert not s.clipped_before and not s.clipped_after
    # A quote across the wrapped line reads as one line too.
    start = body.index("to\nDonald")
    assert sentence_around(body, start, start + len("to\nDonald")).quote == "to Donald"


def test_sentence_around_counts_code_points():
    body = "🇺🇦 Путін привітав Трампа. 🎉 Кремль заперечив."
    start = body.index("Кремль")
    s = sentence_around(body, start, start + 6)
    assert (s.before, s.quote, s.after) == ("🎉 ", "Кремль", " заперечив.")


@pytest.mark.parametrize(
    "body, quote, expected_after",
    [
        # QA: the context stopped at "…as the former U." (a point after one capital letter).
        (
            "Peskov said Wednesday, as the former U.S. president was on the cusp. Next.",
            "Peskov said",
            " Wednesday, as the former U.S. president was on the cusp.",
        ),
        ("Talks with Mr. Trump and Dr. Smith began in Jan. this year. Next.", "Talks", None),
        ("The memo, e.g. the leaked one, said so. Next.", "The memo", None),
        ("Сказал В. Путин, т.е. глава государства. Дальше.", "Сказал", None),
        ("He lives on Main St. in the city. Next.", "He lives", None),
    ],
)
def test_sentence_around_reads_abbreviations_as_part_of_the_sentence(body, quote, expected_after):
    start = body.index(quote)
    s = sentence_around(body, start, start + len(quote))
    sentence = body[: body.rindex(". ") + 1]
    assert s.after == (expected_after or sentence[len(quote) :])
    assert not s.clipped_after


def test_sentence_around_still_ends_at_a_word_and_a_point():
    body = "Trump won the U.S. vote. This was the plan. The end is near."
    start = body.index("The end")
    s = sentence_around(body, start, start + len("The end"))
    assert (s.before, s.after) == ("", " is near.")
    start = body.index("U.S.")
    assert sentence_around(body, start, start + 4).after == " vote."
    # A lone lower-case letter, a number and a question mark still end a sentence.
    body = "It was in 2024. Who said so? They did."
    start = body.index("They")
    assert sentence_around(body, start, start + 4).before == ""
    start = body.index("Who")
    assert sentence_around(body, start, start + 3).after == " said so?"


# The list ------------------------------------------------------------------------------


def test_list_requires_a_desk_member(client):
    response = client.get(LIST)
    assert response.status_code == 302
    client.force_login(UserFactory())
    assert client.get(LIST).status_code == 403


def test_list_shows_reach_and_latest_verdict(reviewer_client):
    claim = ClaimFactory(statement="Putin congratulated Trump via intermediaries")
    first, second = OutletFactory(), OutletFactory()
    AnnotationFactory(claim=claim, article=ArticleFactory(outlet=first), quote="Putin")
    AnnotationFactory(claim=claim, article=ArticleFactory(outlet=first), quote="Kremlin")
    AnnotationFactory(claim=claim, article=ArticleFactory(outlet=second), quote="Putin")
    AnnotationFactory(claim=claim, article=ArticleFactory(outlet=second), orphaned=True)
    VerdictFactory(claim=claim, status=Status.SUBMITTED)
    ClaimFactory(statement="Trump promised to end the war in 24 hours")

    response = reviewer_client.get(LIST)
    assert response.status_code == 200
    rows = {c.statement: c for c in response.context["page"].object_list}
    row = rows["Putin congratulated Trump via intermediaries"]
    assert (row.outlet_count, row.appearance_count) == (2, 3)
    assert row.current_status == "submitted"
    html = response.content.decode()
    assert "Submitted" in html
    assert "No verdict yet" in html
    # Most outlets first by default.
    assert list(rows) == [
        "Putin congratulated Trump via intermediaries",
        "Trump promised to end the war in 24 hours",
    ]


def test_list_search_and_empty_states(editor_client):
    ClaimFactory(statement="Putin congratulated Trump")
    ClaimFactory(statement="Trump promised peace")
    response = editor_client.get(LIST, {"q": "putin"})
    assert [c.statement for c in response.context["page"].object_list] == [
        "Putin congratulated Trump"
    ]
    response = editor_client.get(LIST, {"q": "nothing like this"})
    assert "No claim matches" in response.content.decode()
    Claim.objects.all().delete()
    assert "No claims yet" in editor_client.get(LIST).content.decode()


def test_list_search_with_a_nul_byte_is_not_a_500(editor_client):
    # PostgreSQL refuses NUL even in a query parameter; SQLite does not mind.
    ClaimFactory(statement="Putin congratulated Trump")
    response = editor_client.get(LIST, {"q": "pu\x00tin"})
    assert response.status_code == 200
    assert [c.statement for c in response.context["page"].object_list] == [
        "Putin congratulated Trump"
    ]


@pytest.mark.parametrize("count", [3, 30])
def test_list_query_count_is_constant(editor, editor_client, django_assert_num_queries, count):
    article = ArticleFactory()
    for _ in range(count):
        claim = ClaimFactory()
        AnnotationFactory(claim=claim, article=article, author=editor)
        VerdictFactory(claim=claim, author=editor)
    # session, user, groups×2 (roles), count, claims, the page's latest verdicts
    with django_assert_num_queries(7):
        response = editor_client.get(LIST)
    assert len(response.context["page"].object_list) == count
    assert all(c.verdict_status == "draft" for c in response.context["page"].object_list)
    assert all(c.appearance_count == 1 for c in response.context["page"].object_list)


# The detail page -----------------------------------------------------------------------


@pytest.fixture
def claim_with_appearances():
    claim = ClaimFactory(statement="Putin congratulated Trump via intermediaries")
    online = OutletFactory(name="online.ua")
    caliber = OutletFactory(name="Caliber.az")
    body = (
        "Moscow. Putin privately congratulated Republican Donald Trump on his victory, "
        "a source said. Later <b>more</b> came."
    )
    a1 = AnnotationFactory(
        claim=claim,
        article=ArticleFactory(outlet=online, title="Putin's quiet message", body=body),
        quote="privately congratulated Republican Donald Trump",
    )
    denial = ArticleFactory(
        outlet=caliber, title="Kremlin denies", body="Peskov: the Kremlin denied any message."
    )
    a2 = AnnotationFactory(
        claim=claim, article=denial, quote="the Kremlin denied", stance=Stance.DISPUTES
    )
    orphan = AnnotationFactory(
        claim=claim, article=denial, quote="Peskov", orphaned=True, exact="old <words>"
    )
    return claim, a1, a2, orphan


def test_detail_groups_appearances_by_outlet_with_sentences(
    reviewer_client, claim_with_appearances
):
    claim, a1, a2, orphan = claim_with_appearances
    response = reviewer_client.get(detail(claim))
    assert response.status_code == 200
    groups = response.context["outlet_groups"]
    assert [g["outlet"].name for g in groups] == ["Caliber.az", "online.ua"]
    assert [a.pk for a in groups[1]["annotations"]] == [a1.pk]
    html = response.content.decode()
    assert (
        "Putin <mark>privately congratulated Republican Donald Trump</mark> on his victory, "
        "a source said." in html
    )
    assert "Peskov: <mark>the Kremlin denied</mark> any message." in html
    assert "more&lt;/b&gt;" not in html  # only the quote's sentence is shown
    assert f'href="{a1.get_absolute_url()}"' in html
    assert f"#annotation-{a2.pk}" in html
    assert "Orphaned appearances" in html
    assert "old &lt;words&gt;" in html
    assert f"#orphan-{orphan.pk}" in html
    assert 'class="badge stance-disputes"' in html
    assert "2 appearances in 2 outlets" in html
    # Reviewers read; they get no edit form.
    assert response.context["form"] is None
    assert "Save statement" not in html


def test_detail_breadcrumbs_name_the_claim_not_its_number(editor_client):
    claim = ClaimFactory(statement="Putin congratulated Trump on winning the 2024 US election")
    html = editor_client.get(detail(claim)).content.decode()
    crumbs = html.split('class="breadcrumbs small">', 1)[1].split("</p>", 1)[0]
    assert "Claim #" not in crumbs
    assert "› Putin congratulated Trump on winning the 2024 US election" in crumbs


def test_detail_escapes_sentences(editor_client):
    claim = ClaimFactory()
    article = ArticleFactory(body="He wrote <script>alert(1)</script> and left.")
    AnnotationFactory(claim=claim, article=article, quote="<script>alert(1)</script>")
    html = editor_client.get(detail(claim)).content.decode()
    assert "<mark>&lt;script&gt;alert(1)&lt;/script&gt;</mark>" in html
    assert "<script>alert(1)" not in html


def test_editor_edits_statement_and_slug_stays(editor_client, claim_with_appearances):
    claim = claim_with_appearances[0]
    slug = claim.slug
    response = editor_client.get(detail(claim))
    assert "Statement" in response.content.decode()
    response = editor_client.post(
        detail(claim),
        {
            "statement": "  Putin congratulated   Trump through intermediaries ",
            "claimant": "A source",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == detail(claim)
    claim.refresh_from_db()
    assert claim.statement == "Putin congratulated Trump through intermediaries"
    assert claim.claimant == "A source"
    assert claim.slug == slug
    assert "Statement saved." in [str(m) for m in response.context["messages"]]


def test_statement_validation(editor_client):
    claim = ClaimFactory(statement="One")
    ClaimFactory(statement="Two")
    response = editor_client.post(detail(claim), {"statement": "two", "claimant": ""})
    assert response.status_code == 422
    assert "Another claim already has this statement." in response.content.decode()
    response = editor_client.post(detail(claim), {"statement": "   ", "claimant": ""})
    assert response.context["form"].errors["statement"]
    claim.refresh_from_db()
    assert claim.statement == "One"


def test_reviewer_post_is_refused(reviewer_client):
    claim = ClaimFactory(statement="One")
    response = reviewer_client.post(detail(claim), {"statement": "Changed", "claimant": ""})
    assert response.status_code == 403
    claim.refresh_from_db()
    assert claim.statement == "One"


def test_detail_permissions_and_404(client, editor_client):
    claim = ClaimFactory()
    response = client.get(detail(claim))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    client.force_login(UserFactory())
    assert client.get(detail(claim)).status_code == 403
    assert editor_client.get(reverse("claim_detail", args=[999999])).status_code == 404


def test_detail_empty_state(editor_client):
    claim = ClaimFactory()
    html = editor_client.get(detail(claim)).content.decode()
    assert "no highlighted appearance" in html


def test_detail_query_count_is_constant(editor, editor_client, django_assert_num_queries):
    claim = ClaimFactory()
    AnnotationFactory(claim=claim, author=editor)
    with CaptureQueriesContext(connection) as few:
        editor_client.get(detail(claim))
    for _ in range(4):
        AnnotationFactory(claim=claim, author=editor)
        article = ArticleFactory()
        AnnotationFactory(claim=claim, article=article, quote="Putin", author=editor)
        AnnotationFactory(
            claim=claim, article=article, quote="Kremlin", orphaned=True, author=editor
        )
    with django_assert_num_queries(len(few.captured_queries)):
        response = editor_client.get(detail(claim))
    assert response.context["appearance_count"] == 9
