"""Issue 8 through the services and the database (SQLite and PostgreSQL): the reproductions,
the outcome counters, the history of every change, and undoing a fuzzy re-anchoring."""

import pytest
from django.urls import reverse

from claims.models import Annotation, AnnotationChange, Claim, Stance
from claims.services.annotations import annotation_create
from claims.services.corrections import article_correct
from tests.claims.test_reanchoring_cases import CASE1, CASE1_NEW, CASE2, TWIN
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def highlight(article, user, quote, occurrence=0):
    start = -1
    for _ in range(occurrence + 1):
        start = article.body.index(quote, start + 1)
    return annotation_create(
        article=article,
        user=user,
        claim=Claim.objects.create(statement=f"Claim about {quote}"[:500]),
        stance=Stance.ASSERTS,
        start=start,
        end=start + len(quote),
        exact=quote,
    )


def correct(article, user, new_text):
    return article_correct(article=article, user=user, new_text=new_text, reason="Corrected")


def counts(correction):
    c = correction
    return (c.kept, c.moved, c.reanchored, c.orphaned, c.ambiguous)


def last_change(annotation):
    return AnnotationChange.objects.filter(annotation=annotation).order_by("-at", "-id").first()


def test_reproduction_1_through_the_services(editor):
    article = ArticleFactory(body=CASE1)
    annotation = highlight(article, editor, "according to Interfax.")
    correction = correct(article, editor, CASE1_NEW)
    annotation.refresh_from_db()
    assert counts(correction) == (0, 1, 0, 0, 0)
    assert not annotation.orphaned
    line = CASE1_NEW.splitlines()[1]
    assert annotation.start == CASE1_NEW.index(line) + line.index("according")
    assert CASE1_NEW[annotation.start : annotation.end] == annotation.exact


def test_reproduction_2_through_the_services(editor):
    article = ArticleFactory(body=CASE2)
    annotation = highlight(article, editor, "his victory in the US presidential")
    correction = correct(article, editor, CASE2.split("\n", 1)[1])
    annotation.refresh_from_db()
    assert counts(correction) == (0, 0, 0, 1, 0)
    assert annotation.orphaned
    change = last_change(annotation)
    assert change.action == AnnotationChange.Action.ORPHANED
    assert change.after["outcome"] == "orphaned"
    assert change.after["correction"] == correction.pk


def test_twins_are_counted_ambiguous_and_recorded(editor):
    body = "Intro line one.\n" + TWIN + "Middle part of the story here.\n" + TWIN + "End."
    article = ArticleFactory(body=body)
    annotation = highlight(article, editor, "the talks with Washington")
    new = body.replace("Middle part of the story here.\n" + TWIN, "Middle part, rewritten.\n")
    correction = correct(article, editor, new)
    annotation.refresh_from_db()
    assert counts(correction) == (0, 0, 0, 0, 1)
    assert annotation.orphaned
    change = last_change(annotation)
    assert change.action == AnnotationChange.Action.ORPHANED
    assert change.after["outcome"] == "ambiguous"
    assert "several places" in change.after["reason"]


BODY = (
    "Moscow. Officials claimed Putin congratualted Donald Trump on his victory, a source said.\n"
    'Kremlin spokesman Dmitry Peskov said he knew of "no such plans" at all.\n'
    "The story was first reported on Thursday."
)


def test_every_outcome_is_counted_and_each_change_is_in_the_history(editor):
    article = ArticleFactory(body=BODY)
    kept = highlight(article, editor, "Moscow. Officials")
    moved = highlight(article, editor, "first reported on Thursday")
    fuzzy = highlight(article, editor, "Putin congratualted Donald Trump")
    quotes = highlight(article, editor, 'knew of "no such plans" at all')
    gone = highlight(article, editor, "Dmitry Peskov said")
    new = (
        BODY.replace("congratualted", "congratulated")
        .replace('"no such plans"', "\u201cno such plans\u201d")
        .replace("Dmitry Peskov said", "a spokesman insisted")
        .replace("The story", "Update: the Kremlin later denied it.\nThe story")
    )
    correction = correct(article, editor, new)
    assert counts(correction) == (1, 1, 2, 1, 0)
    assert "2 re-anchored with changes" in correction.summary()

    for annotation in (kept, moved, fuzzy, quotes, gone):
        annotation.refresh_from_db()
    assert kept.start == 0 and not kept.orphaned
    assert fuzzy.exact == "Putin congratulated Donald Trump"
    assert quotes.exact == "knew of \u201cno such plans\u201d at all"
    for annotation in (moved, fuzzy, quotes):
        assert new[annotation.start : annotation.end] == annotation.exact
    assert gone.orphaned

    change = last_change(fuzzy)
    assert change.action == AnnotationChange.Action.REANCHORED
    assert change.get_action_display() == "Re-anchored with changes"
    assert change.before["exact"] == "Putin congratualted Donald Trump"
    assert change.after["exact"] == "Putin congratulated Donald Trump"
    assert 0.8 < change.after["score"] < 1
    assert change.user == editor
    assert last_change(moved).action == AnnotationChange.Action.MOVED
    assert last_change(kept).action == AnnotationChange.Action.CREATED  # nothing changed


def test_correction_page_and_message_show_the_outcomes(editor_client, editor):
    article = ArticleFactory(body=BODY)
    highlight(article, editor, "Putin congratualted Donald Trump")
    response = editor_client.post(
        reverse("article_correct", args=[article.pk]),
        {
            "text": BODY.replace("congratualted", "congratulated"),
            "reason": "Typo",
            "content_hash": article.content_hash,
        },
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any("1 re-anchored with changes" in m for m in messages)
    html = editor_client.get(reverse("article_correct", args=[article.pk])).content.decode()
    assert "Re-anchored with changes" in html
    assert "Ambiguous" in html


# Undo ---------------------------------------------------------------------------------


@pytest.fixture
def fuzzed(editor):
    article = ArticleFactory(body=BODY)
    annotation = highlight(article, editor, "Putin congratualted Donald Trump")
    correct(article, editor, BODY.replace("congratualted", "congratulated"))
    annotation.refresh_from_db()
    assert annotation.exact == "Putin congratulated Donald Trump"
    return annotation


def entries_url(annotation):
    return reverse("article_claim_highlights", args=[annotation.article_id, annotation.claim_id])


def undo_url(annotation):
    return reverse("annotation_undo_reanchor", args=[annotation.pk])


def test_the_panel_shows_re_anchored_with_changes_and_an_undo(editor_client, fuzzed):
    # The panel shows a claim's highlights when its line is opened.
    html = editor_client.get(entries_url(fuzzed), headers={"HX-Request": "true"}).content.decode()
    assert "Re-anchored with changes" in html
    assert undo_url(fuzzed) in html


def test_reviewers_see_the_mark_but_cannot_undo(reviewer_client, fuzzed):
    html = reviewer_client.get(entries_url(fuzzed), headers={"HX-Request": "true"}).content.decode()
    assert "Re-anchored with changes" in html
    assert undo_url(fuzzed) not in html
    assert reviewer_client.post(undo_url(fuzzed)).status_code == 403
    fuzzed.refresh_from_db()
    assert fuzzed.exact == "Putin congratulated Donald Trump"


def test_undo_orphans_when_the_previous_words_are_gone(editor_client, editor, fuzzed):
    response = editor_client.post(undo_url(fuzzed), follow=True)
    assert response.status_code == 200
    fuzzed.refresh_from_db()
    assert fuzzed.orphaned
    assert fuzzed.exact == "Putin congratualted Donald Trump"
    change = last_change(fuzzed)
    assert change.action == AnnotationChange.Action.ORPHANED
    assert change.before["exact"] == "Putin congratulated Donald Trump"
    assert change.after["undo_of"]
    assert change.user == editor
    # Once undone there is nothing left to undo, and the page no longer offers it.
    html = editor_client.get(fuzzed.article.get_absolute_url()).content.decode()
    assert undo_url(fuzzed) not in html
    again = editor_client.post(undo_url(fuzzed), headers={"HX-Request": "true"})
    assert again.status_code == 422
    assert "nothing to undo" in again.content.decode()


def test_undo_restores_the_previous_anchor_when_its_words_are_back(editor_client, editor, fuzzed):
    article = fuzzed.article
    article.refresh_from_db()
    # The text is put back (e.g. the "typo" was a direct quote), without moving the highlight.
    article.body = BODY
    article.save()
    response = editor_client.post(undo_url(fuzzed), headers={"HX-Request": "true"})
    assert response.status_code == 200
    fuzzed.refresh_from_db()
    assert not fuzzed.orphaned
    assert fuzzed.exact == "Putin congratualted Donald Trump"
    assert BODY[fuzzed.start : fuzzed.end] == fuzzed.exact
    assert last_change(fuzzed).action == AnnotationChange.Action.REATTACHED


def test_undo_refuses_after_the_highlight_moved_on(editor_client, editor, fuzzed):
    article = fuzzed.article
    article.refresh_from_db()
    correct(article, editor, "New first line.\n" + article.body)
    fuzzed.refresh_from_db()
    assert last_change(fuzzed).action == AnnotationChange.Action.MOVED
    response = editor_client.post(undo_url(fuzzed), follow=True)
    assert "nothing to undo" in " ".join(str(m) for m in response.context["messages"])
    fuzzed.refresh_from_db()
    assert not fuzzed.orphaned


def test_undo_of_a_highlight_never_re_anchored_is_refused(editor_client, editor):
    article = ArticleFactory(body=BODY)
    annotation = highlight(article, editor, "Moscow. Officials")
    response = editor_client.post(undo_url(annotation), headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert Annotation.objects.get(pk=annotation.pk).start == 0


def test_undo_needs_post(editor_client, fuzzed):
    assert editor_client.get(undo_url(fuzzed)).status_code == 405


# Issue 22: the corpus of generated corrections, and its shapes through the services ------


def test_a_slice_of_the_generated_corrections_places_nothing_wrongly():
    """Every kind of correction of the corpus (tests/claims/correction_corpus.py), once on
    each seed and its typographic variants; bench/correction.py measures the whole corpus."""
    from tests.claims.correction_corpus import run

    tally = run(seed=2201, variants=1, highlights=20)
    assert tally.outcomes > 3000
    assert tally.wrong == 0, tally.examples[:3]
    assert tally.needless <= tally.outcomes // 200
    assert tally.slight and tally.slight_live / tally.slight >= 0.9


def test_issue_22_shapes_through_the_services(editor):
    """A line moved into a long quote orphans it (recorded); a typo fixed inside a quote with
    typos beside it re-anchors it with a score (recorded)."""
    from tests.claims.test_reanchoring_bounds import CALIBER

    body = CALIBER
    article = ArticleFactory(body=body)
    long = highlight(
        article,
        editor,
        "Peskov had commented on the reports of Trump's victory, stating he was unaware of "
        "any plans by Putin to congratulate the American politician.",
    )
    short = highlight(article, editor, "better for")
    moved_line = "By Vafa Guliyeva\n\n"
    new = body.replace(moved_line, "").replace(
        "stating he was unaware", "stating he\nBy Vafa Guliyeva\nwas unaware"
    )
    new = new.replace("treaty-capable and better for us", "treaty-capable aad better ffor us")
    correction = correct(article, editor, new)
    long.refresh_from_db()
    short.refresh_from_db()
    assert long.orphaned
    assert last_change(long).action == AnnotationChange.Action.ORPHANED
    assert not short.orphaned and short.exact == "better ffor"
    change = last_change(short)
    assert change.action == AnnotationChange.Action.REANCHORED
    assert 0.8 < change.after["score"] < 1
    assert correction.reanchored == 1 and correction.orphaned == 1
