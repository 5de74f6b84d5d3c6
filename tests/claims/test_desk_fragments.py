"""The article page stays flat with many highlights: segments, a collapsed panel loaded on
demand, and writes that answer with only what changed."""

import random
import re
from html import escape as html_escape
from html import unescape

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.text import soft_breaks
from claims.highlight import render_segments, runs, segment_bounds, segments_touching
from claims.selectors import article as article_selectors
from claims.views import annotate
from tests import factories

pytestmark = pytest.mark.django_db


class A:
    def __init__(self, id, start, end, stance="asserts", claim_id=1):
        self.id, self.start, self.end, self.stance = id, start, end, stance
        self.claim_id = claim_id


def text_of(html):
    return re.sub(r"<[^>]+>", "", html).replace("&lt;", "<").replace("&amp;", "&")


def test_segments_cut_after_line_breaks_and_cover_the_body():
    body = ("A paragraph of words. " * 40 + "\n\n") * 30
    bounds = segment_bounds(body)
    assert bounds[0] == 0 and bounds[-1] == len(body) and len(bounds) > 3
    assert all(body[b - 1] == "\n" for b in bounds[1:-1])
    assert segment_bounds("") == [0]
    assert segment_bounds("short") == [0, 5]
    one_line = "word " * 5000
    assert all(one_line[b - 1] == " " for b in segment_bounds(one_line)[1:-1])


def test_any_window_of_segments_renders_as_the_same_part_of_the_whole():
    rng = random.Random(7)
    body = "".join(rng.choice("ab <&\n") for _ in range(300))
    bounds = [0, 40, 41, 120, 200, 300]
    spans = []
    for pk in range(1, 40):
        start = rng.randrange(0, 299)
        spans.append(
            A(pk, start, rng.randrange(start + 1, 301), rng.choice(["asserts", "disputes"]))
        )
    whole = render_segments(body, spans, bounds)
    assert text_of(whole) == body
    pieces = "".join(render_segments(body, spans, bounds, i, i) for i in range(len(bounds) - 1))
    assert pieces == whole
    assert render_segments(body, spans, bounds, 1, 3) in whole
    assert segments_touching(bounds, 39, 42) == (0, 2)
    assert segments_touching(bounds, 40, 41) == (1, 1)
    assert segments_touching(bounds, 299, 300) == (4, 4)


def drawn_from_runs(body, spans, bounds):
    """What render_segments must write, built plainly from runs(): a reference model."""
    segment_at = {cut: index for index, cut in enumerate(bounds) if 0 < cut < bounds[-1]}
    described = {a.id: f"claim-name-{a.claim_id} stance-name-{a.stance}" for a in spans}
    soft = set(soft_breaks(body))
    html = ['<span class="seg" id="seg-0">']
    for run in runs(body, spans, cuts=list(segment_at)):
        if run.start in segment_at:
            html.append(f'</span><span class="seg" id="seg-{segment_at[run.start]}">')
        text = "".join(
            '<span class="soft-break">\n</span>' if i in soft else html_escape(body[i])
            for i in range(run.start, run.end)
        )
        if not run.ids:
            html.append(text)
            continue
        depth = min(len(run.ids), 4)
        stance = next(iter(run.stances)) if len(run.stances) == 1 else "mixed"
        attrs = f'class="hl d{depth} hl-{stance}" data-annotations="{" ".join(map(str, run.ids))}"'
        if run.opens:
            names = " ".join(dict.fromkeys(" ".join(described[i] for i in run.opens).split()))
            html.extend(f'<span id="annotation-{i}"></span>' for i in run.opens)
            attrs += f' tabindex="0" aria-describedby="{names}"'
        html.append(f"<mark {attrs}>{text}</mark>")
    html.append("</span>")
    return "".join(html)


@st.composite
def bodies_with_highlights(draw):
    body = draw(st.text(alphabet="ab <&\"'\n🎉", min_size=1, max_size=120))
    spans = []
    for pk in range(1, draw(st.integers(0, 12)) + 1):
        start = draw(st.integers(0, len(body)))
        end = draw(st.integers(start, len(body) + 2))  # empty and out-of-text ones too
        stance = draw(st.sampled_from(["asserts", "attributes", "disputes"]))
        a = A(pk, start, end, stance, claim_id=draw(st.integers(1, 3)))
        a.orphaned = draw(st.booleans()) and draw(st.booleans())
        spans.append(a)
    cuts = sorted(draw(st.sets(st.integers(1, max(1, len(body) - 1)), max_size=4)))
    bounds = [0, *(c for c in cuts if c < len(body)), len(body)]
    return body, spans, bounds


# Hard-wrapped text: lines of about the wrapping's width (soft breaks between them), short
# lines, blank lines and list items.
wrapped_lines = st.lists(
    st.one_of(
        st.text(alphabet="ab <&'🎉", min_size=40, max_size=70),
        st.text(alphabet="ab <&", max_size=12),
        st.just("- item"),
    ),
    min_size=1,
    max_size=8,
).map("\n".join)


@st.composite
def wrapped_bodies_with_highlights(draw):
    body, spans, _ = draw(bodies_with_highlights())
    body = draw(wrapped_lines) + "\n" + body + "\n" + draw(wrapped_lines)
    for a in spans:
        a.start, a.end = a.start * 2, a.end * 3
    cuts = sorted(draw(st.sets(st.integers(1, len(body) - 1), max_size=4)))
    return body, spans, [0, *cuts, len(body)]


@given(st.one_of(bodies_with_highlights(), wrapped_bodies_with_highlights()))
@settings(max_examples=300, deadline=None)
def test_segments_draw_exactly_the_runs(case):
    """The article page's fast sweep writes what runs() says, run for run: the same cuts,
    the same covering ids and stances, anchors and descriptions on each first run, and each
    soft line break in its own span."""
    body, spans, bounds = case
    html = render_segments(body, spans, bounds)
    assert html == drawn_from_runs(body, spans, bounds)
    assert unescape(re.sub(r"<[^>]+>", "", html)) == body


def test_a_soft_line_break_is_drawn_as_a_space_and_stays_in_the_text():
    """A hard-wrapped paragraph's newline sits in a span that site.css shows as a space, in
    or out of a highlight; a paragraph break does not. The text is still the body."""
    line = "Russian President Vladimir Putin does not plan to offer his"
    body = f"{line}\ncongratulations to Donald Trump.\n\nKremlin spokesman said."
    quote = "offer his\ncongratulations"
    start = body.index(quote)
    bounds = segment_bounds(body)
    plain = render_segments(body, [], bounds)
    assert plain == (
        f'<span class="seg" id="seg-0">{line}<span class="soft-break">\n</span>'
        "congratulations to Donald Trump.\n\nKremlin spokesman said.</span>"
    )
    marked = render_segments(body, [A(1, start, start + len(quote))], bounds)
    assert (
        '<mark class="hl d1 hl-asserts" data-annotations="1" tabindex="0" '
        'aria-describedby="claim-name-1 stance-name-asserts">'
        'offer his<span class="soft-break">\n</span>congratulations</mark>'
    ) in marked
    assert unescape(re.sub(r"<[^>]+>", "", marked)) == body


@pytest.fixture
def long_article():
    paragraph = "Putin congratulated Trump via intermediaries, a source said. " * 30 + "\n\n"
    return factories.ArticleFactory(body=paragraph * 40)


def add_highlights(article, count, claims, author):
    body, spans = article.body, []
    for i in range(count):
        start = (i * 997) % (len(body) - 200)
        spans.append((start, start + 20 + i % 150))
    from claims.models import Annotation

    Annotation.objects.bulk_create(
        Annotation(
            article=article,
            claim=claims[i % len(claims)],
            author=author,
            stance=("asserts", "attributes", "disputes")[i % 3],
            start=s,
            end=e,
            exact=body[s:e],
        )
        for i, (s, e) in enumerate(spans)
    )
    from claims.models import Claim

    Claim.objects.filter(pk__in=[c.pk for c in claims]).refresh_reach()


def test_the_panel_is_collapsed_and_capped(editor_client, editor, long_article):
    claims = factories.ClaimFactory.create_batch(annotate.GROUPS_SHOWN + 5)
    add_highlights(long_article, 200, claims, editor)
    html = editor_client.get(long_article.get_absolute_url()).content.decode()
    assert html.count('class="claim-group"') == annotate.GROUPS_SHOWN
    assert "panel-entry" not in html  # highlights load when a claim line is opened
    assert f"Show all {len(claims)} claims" in html
    assert "(200)" in html
    every = editor_client.get(reverse("article_claim_groups", args=[long_article.pk]))
    assert every.content.decode().count('class="claim-group"') == len(claims)
    one = editor_client.get(
        reverse("article_claim_highlights", args=[long_article.pk, claims[0].pk])
    ).content.decode()
    assert one.count('class="panel-entry"') == claims[0].annotations.count()


def test_a_save_on_a_busy_article_returns_a_small_fragment(editor_client, editor, long_article):
    claims = factories.ClaimFactory.create_batch(20)
    add_highlights(long_article, 600, claims, editor)
    page = editor_client.get(long_article.get_absolute_url()).content
    quote = "a source said"
    start = long_article.body.index(quote, len(long_article.body) // 2)
    response = editor_client.post(
        reverse("article_annotations", args=[long_article.pk]),
        {
            "start": start,
            "end": start + len(quote),
            "exact": quote,
            "stance": "disputes",
            "claim": claims[3].pk,
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert len(response.content) < len(page) / 5
    segments = re.findall(r'<span class="seg" id="seg-(\d+)" data-hx-swap-oob="true">', html)
    bounds = segment_bounds(long_article.body)
    first, last = segments_touching(bounds, start, start + len(quote))
    assert [int(s) for s in segments] == list(range(first, last + 1))
    assert f'id="claim-group-{claims[3].pk}" open' in html
    new = claims[3].annotations.latest("pk")
    assert f'id="annotation-{new.pk}"' in html
    # The claim's line comes open with the one new entry; the others load on demand.
    assert html.count('class="panel-entry"') == 1
    others = claims[3].annotations.count() - 1
    assert f"Show the other {others} highlights of this claim" in html
    # Delete: the same segments again, the claim line closed.
    response = editor_client.post(
        reverse("annotation_delete", args=[new.pk]), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert [int(s) for s in re.findall(r'id="seg-(\d+)" data-hx-swap-oob', html)] == list(
        range(first, last + 1)
    )
    assert f'id="annotation-{new.pk}"' not in html


def test_edit_moving_a_highlight_to_another_claim_opens_that_claim(
    editor_client, editor, long_article
):
    a = factories.AnnotationFactory(article=long_article, quote="a source said", author=editor)
    other = factories.ClaimFactory(statement="Another claim")
    response = editor_client.post(
        reverse("annotation_edit", args=[a.pk]),
        {"claim": other.pk, "claim_text": other.statement, "stance": "attributes"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert f'id="claim-group-{other.pk}" open' in html
    assert f'id="claim-group-{a.claim_id}"' not in html  # no highlight left there
    assert "hl-attributes" in html


@pytest.mark.parametrize("highlights", [0, 300])
def test_a_save_costs_the_same_queries_whatever_the_number_of_highlights(
    editor_client, editor, long_article, highlights, django_assert_num_queries
):
    claims = factories.ClaimFactory.create_batch(10)
    add_highlights(long_article, highlights, claims, editor)
    quote = "a source said"
    start = long_article.body.index(quote, len(long_article.body) // 2)
    data = {"start": start, "end": start + len(quote), "exact": quote, "stance": "asserts"}
    # session, user, permissions, article, the write and its history and reach (the claim
    # locked, then recounted; in a savepoint), segments, panel lines, the new entry,
    # orphans: never per highlight.
    with django_assert_num_queries(SAVE_QUERIES):
        response = editor_client.post(
            reverse("article_annotations", args=[long_article.pk]),
            {**data, "claim": claims[0].pk},
            headers={"HX-Request": "true"},
        )
    assert response.status_code == 200


SAVE_QUERIES = 19  # with the article's text re-read under a lock, the claim locked (a merge
# cannot take it away before the highlight is stored) and its publication


def test_a_save_lists_a_small_claims_every_highlight_and_says_what_a_button_adds(
    editor_client, editor
):
    """After a save the claim's line never reads as if a highlight were missing ("Show all
    2" under one): up to ``ENTRIES_WHOLE`` highlights are all listed; beyond, the button
    names how many more it shows (issue 25)."""
    article = factories.ArticleFactory(body="One claim here. The same claim there. " * 20)
    claim = factories.ClaimFactory()
    factories.AnnotationFactory(article=article, claim=claim, author=editor, quote="claim")
    url = reverse("article_annotations", args=[article.pk])
    start = article.body.index("same")

    def save(start):
        data = {"start": start, "end": start + 4, "exact": article.body[start : start + 4]}
        response = editor_client.post(
            url, {**data, "stance": "asserts", "claim": claim.pk}, headers={"HX-Request": "true"}
        )
        assert response.status_code == 200
        return response.content.decode()

    html = save(start)
    assert html.count('class="panel-entry"') == 2
    assert "Show all" not in html and "Show the other" not in html
    body = article.body
    positions = [i for i in range(len(body)) if body.startswith("same", i)][1:]
    for position in positions[: article_selectors.ENTRIES_WHOLE - 1]:
        html = save(position)
    assert claim.annotations.count() == article_selectors.ENTRIES_WHOLE + 1
    assert html.count('class="panel-entry"') == 1
    assert f"Show the other {article_selectors.ENTRIES_WHOLE} highlights of this claim" in html


def test_a_few_claims_past_the_cap_are_shown_without_a_button(editor_client, editor):
    article = factories.ArticleFactory(body="word " * 400)
    claims = factories.ClaimFactory.create_batch(annotate.GROUPS_SHOWN + 2)
    for i, claim in enumerate(claims):
        factories.AnnotationFactory(
            article=article, claim=claim, author=editor, start=i * 5, end=i * 5 + 4, exact="word"
        )
    html = editor_client.get(article.get_absolute_url()).content.decode()
    assert html.count('class="claim-group"') == len(claims)
    assert "Show all" not in html
