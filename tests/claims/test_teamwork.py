"""Working together: assignment, comments with mentions (on claims and on verdicts), mail
notifications with their opt-out, the activity feed and withdrawing a submitted verdict."""

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from claims.models import (
    Comment,
    NotificationPreference,
    RoleGrant,
    Status,
    VerdictTransition,
)
from claims.selectors.activity import EXCERPT, PAGE_SIZE, activity_page
from claims.selectors.desk import claim_comments
from claims.services import verdicts
from claims.services.annotations import annotation_create
from claims.services.claims import claim_assign, claim_update
from claims.services.comments import comment_create, mentioned_users
from claims.services.corrections import article_correct
from factcheck import roles
from factcheck.errors import NotAllowed, Refused, Stale
from factcheck.sanitize import MAX_MARKDOWN
from tests import factories
from tests.claims.helpers import a_draft, confirmed_merge

pytestmark = pytest.mark.django_db


def submitted(claim, editor, callbacks):
    with callbacks(execute=True):
        draft = a_draft(claim, editor)
        return verdicts.verdict_submit(verdict=draft, user=editor, version=draft.version)


def recipients(outbox):
    return sorted(address for message in outbox for address in message.to)


# --- assignment -------------------------------------------------------------------------


def test_assign_tells_the_assignee(
    editor, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    claim = factories.ClaimFactory()
    with django_capture_on_commit_callbacks(execute=True):
        claim_assign(claim=claim, assignee=editor, user=reviewer)
    claim.refresh_from_db()
    assert claim.assigned_to == editor
    assert recipients(mailoutbox) == [editor.email]
    assert "Assigned to you" in mailoutbox[0].subject
    assert reverse("claim_detail", args=[claim.pk]) in mailoutbox[0].body


def test_assigning_yourself_mails_nobody_and_unassigning_works(
    editor, mailoutbox, django_capture_on_commit_callbacks
):
    claim = factories.ClaimFactory()
    with django_capture_on_commit_callbacks(execute=True):
        claim_assign(claim=claim, assignee=editor, user=editor)
        claim_assign(claim=claim, assignee=None, user=editor)
    claim.refresh_from_db()
    assert claim.assigned_to is None
    assert mailoutbox == []


def test_only_desk_members_are_assigned(editor):
    with pytest.raises(Refused):
        claim_assign(claim=factories.ClaimFactory(), assignee=factories.UserFactory(), user=editor)


def test_assign_from_the_claim_page_and_list_it_as_mine(editor, editor_client, reviewer):
    claim = factories.ClaimFactory()
    other = factories.ClaimFactory()
    url = reverse("claim_assign", args=[claim.pk])
    assert editor_client.post(url, {"me": "1"}).status_code == 302
    claim.refresh_from_db()
    assert claim.assigned_to == editor

    home = editor_client.get(reverse("desk")).content.decode()
    assert "Assigned to me" in home and claim.statement in home and other.statement not in home

    listed = editor_client.get(reverse("claim_list"), {"assigned": "me"})
    assert [c.pk for c in listed.context["page"].object_list] == [claim.pk]

    editor_client.post(url, {"assignee": reviewer.pk})
    claim.refresh_from_db()
    assert claim.assigned_to == reviewer
    page = editor_client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    assert f'<option value="{reviewer.pk}" selected>' in page


def test_assign_refuses_a_user_who_is_not_on_the_desk(editor_client):
    claim = factories.ClaimFactory()
    outsider = factories.UserFactory()
    editor_client.post(reverse("claim_assign", args=[claim.pk]), {"assignee": outsider.pk})
    claim.refresh_from_db()
    assert claim.assigned_to is None


def test_anonymous_visitors_are_sent_to_sign_in(client):
    claim = factories.ClaimFactory()
    for url in (
        reverse("claim_assign", args=[claim.pk]),
        reverse("comment_create", args=[claim.pk]),
        reverse("activity"),
        reverse("preferences"),
    ):
        response = client.post(url) if "activity" not in url else client.get(url)
        assert response.status_code == 302 and reverse("login") in response["Location"], url


# --- comments ---------------------------------------------------------------------------


def test_comment_is_sanitised_markdown_and_mentions_are_mailed(
    editor, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    claim = factories.ClaimFactory()
    outsider = factories.UserFactory(username="outsider")
    body = (
        f"**Check** this, @{reviewer.username.upper()} and @{outsider.username} "
        "<script>alert(1)</script> [x](javascript:alert(1)) @nobody."
    )
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_create(claim=claim, user=editor, body=body)
    assert "<strong>Check</strong>" in comment.body_html
    assert "<script" not in comment.body_html and 'href="javascript' not in comment.body_html
    assert list(comment.mentions.all()) == [reviewer]
    assert recipients(mailoutbox) == [reviewer.email]
    assert "mentioned you" in mailoutbox[0].subject
    assert f"#comment-{comment.pk}" in mailoutbox[0].body


def test_known_mentions_are_highlighted_and_unknown_ones_given_back(editor, reviewer):
    """QA: "@reviewer" looked like plain text and "@ghost" was silently ignored."""
    claim = factories.ClaimFactory()
    factories.UserFactory(username="outsider")  # not on the desk: not found either
    body = (
        f"Hi @{reviewer.username.upper()}, see `@{reviewer.username}` and "
        f"[@{reviewer.username}](https://example.org/?to=@{reviewer.username}). "
        "cc @ghost, @outsider and @Ghost <@x>"
    )
    comment = comment_create(claim=claim, user=editor, body=body)
    mention = f'<span class="mention">@{reviewer.username.upper()}</span>'
    assert comment.body_html.count('class="mention"') == 1 and mention in comment.body_html
    # Code, links and addresses are left as they are; only text gets the highlight.
    assert f"<code>@{reviewer.username}</code>" in comment.body_html
    assert f'href="https://example.org/?to=@{reviewer.username}"' in comment.body_html
    assert comment.unknown_mentions == ["ghost", "outsider", "x"]
    assert "<x>" not in comment.body_html and "&lt;@x&gt;" in comment.body_html


def test_unknown_mentions_are_said_to_the_author(editor_client, reviewer):
    claim = factories.ClaimFactory()
    response = editor_client.post(
        reverse("comment_create", args=[claim.pk]),
        {"body": f"@{reviewer.username} and @ghost, look."},
        follow=True,
    )
    notices = [(m.level_tag, str(m)) for m in response.context["messages"]]
    assert notices == [
        ("success", "Comment added."),
        (
            "warning",
            "Not found on the desk: @ghost. Nobody by that name was told; check the spelling "
            "and mention them in a new comment.",
        ),
    ]
    assert Comment.objects.get().mentions.get() == reviewer  # posted all the same
    html = response.content.decode()
    assert f'<span class="mention">@{reviewer.username}</span> and @ghost, look.' in html


def test_mentions_ignore_addresses_and_take_a_trailing_dot_as_punctuation(editor):
    assert mentioned_users(f"mail {editor.username}@example.org") == []
    assert mentioned_users(f"thanks @{editor.username}.") == [editor]


def test_comment_limits(editor):
    claim = factories.ClaimFactory()
    with pytest.raises(Refused):
        comment_create(claim=claim, user=editor, body="  \x00 ")
    with pytest.raises(Refused):
        comment_create(claim=claim, user=editor, body="x" * (MAX_MARKDOWN + 1))
    with pytest.raises(NotAllowed):
        comment_create(claim=claim, user=factories.UserFactory(), body="hello")
    assert not Comment.objects.exists()


def test_comment_from_the_claim_page(reviewer_client):
    claim = factories.ClaimFactory()
    response = reviewer_client.post(
        reverse("comment_create", args=[claim.pk]), {"body": "Looks *done*."}
    )
    comment = Comment.objects.get()
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    page = reviewer_client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    assert "Looks <em>done</em>." in page and f'id="comment-{comment.pk}"' in page

    refused = reviewer_client.post(reverse("comment_create", args=[claim.pk]), {"body": " "})
    assert refused.status_code == 422
    assert Comment.objects.count() == 1


def test_a_comment_keeps_its_paragraphs_and_length(reviewer_client):
    claim = factories.ClaimFactory()
    body = "First point.\n\nSecond point, " + "long " * 60
    reviewer_client.post(reverse("comment_create", args=[claim.pk]), {"body": body})
    comment = Comment.objects.get()
    assert comment.body == body.strip()
    assert comment.body_html.count("<p>") == 2


# --- comments on verdicts ---------------------------------------------------------------


def test_verdict_comment_is_sanitised_and_mentions_are_mailed(
    editor, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    claim = factories.ClaimFactory()
    verdict = a_draft(claim, editor)
    body = f"**Source?** @{reviewer.username} <script>alert(1)</script> [x](javascript:alert(1))"
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_create(claim=claim, verdict=verdict, user=editor, body=body)
    assert comment.verdict == verdict and comment.claim == claim
    assert "<strong>Source?</strong>" in comment.body_html
    assert "<script" not in comment.body_html and 'href="javascript' not in comment.body_html
    assert list(comment.mentions.all()) == [reviewer]
    assert recipients(mailoutbox) == [reviewer.email]
    assert "a comment on the verdict on" in mailoutbox[0].body
    assert f"{reverse('claim_detail', args=[claim.pk])}#comment-{comment.pk}" in mailoutbox[0].body
    assert claim_comments(claim) == []  # the verdict's thread, not the claim's


def test_verdict_comment_refusals_change_nothing(editor):
    claim = factories.ClaimFactory()
    verdict = a_draft(claim, editor)
    other_claims_verdict = a_draft(factories.ClaimFactory(), editor)
    with pytest.raises(Refused, match="not on this claim"):
        comment_create(claim=claim, verdict=other_claims_verdict, user=editor, body="hi")
    with pytest.raises(Refused):
        comment_create(claim=claim, verdict=verdict, user=editor, body=" \x00 ")
    with pytest.raises(NotAllowed):
        comment_create(claim=claim, verdict=verdict, user=factories.UserFactory(), body="hi")
    assert not Comment.objects.exists()


def test_verdict_comment_from_the_claim_page(
    editor, editor_client, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    claim = factories.ClaimFactory()
    verdict = a_draft(claim, editor)
    url = reverse("verdict_comment_create", args=[verdict.pk])
    page = editor_client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    assert f'action="{url}"' in page and "No comments on this verdict yet." in page

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(url, {"body": f"Is *one* source enough, @{reviewer}?"})
    comment = Comment.objects.get()
    assert comment.verdict == verdict and comment.author == editor
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    assert recipients(mailoutbox) == [reviewer.email]

    page = editor_client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    section = page[page.index('id="verdict-section"') : page.index('id="comments-h"')]
    assert f'id="comment-{comment.pk}"' in section and "Is <em>one</em> source" in section
    # Human labels, not internal numbers (QA: "Comments on verdict 1").
    assert "Comments on this verdict (1)" in section and "verdict 1" not in section
    started = timezone.localtime(verdict.created_at).strftime("%-d %b %Y, %H:%M")
    which = f"False verdict, draft, started {started}"
    assert f'<span class="visually-hidden">: {which}</span>' in section
    assert f'Add comment<span class="visually-hidden"> on the {which}</span>' in section
    claim_thread = page[page.index('id="comments-h"') :]
    assert "one</em> source" not in claim_thread  # not in the claim's own thread

    # The section redrawn by a verdict action (htmx) carries the thread too.
    fragment = editor_client.get(reverse("verdict_edit", args=[claim.pk]), HTTP_HX_REQUEST="true")
    assert "Is <em>one</em> source" in fragment.content.decode()


def test_refused_verdict_comment_keeps_the_text_and_says_why(editor, editor_client):
    claim = factories.ClaimFactory()
    verdict = a_draft(claim, editor)
    url = reverse("verdict_comment_create", args=[verdict.pk])
    response = editor_client.post(url, {"body": "  "})
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    too_long = "word " * (MAX_MARKDOWN // 5 + 1)
    response = editor_client.post(url, {"body": too_long})
    assert response.status_code == 422
    html = response.content.decode()
    assert f"at most {MAX_MARKDOWN} characters" in html
    assert too_long.strip()[:100] in html  # what was typed is kept, in that verdict's form
    assert not Comment.objects.exists()


def test_verdict_comments_are_for_desk_members_only(client, editor):
    verdict = a_draft(factories.ClaimFactory(), editor)
    url = reverse("verdict_comment_create", args=[verdict.pk])
    outsider = Client()
    outsider.force_login(factories.UserFactory())  # signed in, but not on the desk
    assert outsider.post(url, {"body": "let me in"}).status_code == 403
    response = client.post(url, {"body": "anonymous"})
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert not Comment.objects.exists()


def test_verdict_comment_on_a_missing_verdict_is_a_404(editor_client):
    url = reverse("verdict_comment_create", args=[10**9])
    assert editor_client.post(url, {"body": "hello"}).status_code == 404


def test_verdict_threads_cost_one_query(editor, editor_client, reviewer):
    claim = factories.ClaimFactory()
    verdict = a_draft(claim, editor)
    comment_create(claim=claim, verdict=verdict, user=editor, body="one")
    url = reverse("claim_detail", args=[claim.pk])
    editor_client.get(url)  # the spread timeline drawn, kept until the appearances change
    with CaptureQueriesContext(connection) as few:
        editor_client.get(url)
    for n in range(5):
        comment_create(claim=claim, verdict=verdict, user=reviewer, body=f"more {n}")
    with CaptureQueriesContext(connection) as many:
        response = editor_client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)
    assert response.content.decode().count("more ") >= 5


def test_verdict_comments_in_the_activity_feed_and_moved_by_a_merge(editor, reviewer):
    source, target = factories.ClaimFactory.create_batch(2)
    verdict = a_draft(source, editor)
    comment = comment_create(claim=source, verdict=verdict, user=editor, body="Check this")
    item = activity_page(1).items[0]
    assert (item.kind, item.text, item.subject, item.excerpt) == (
        "comment",
        "Commented on the verdict of",
        source.statement,
        "Check this",
    )
    assert item.url.endswith(f"#comment-{comment.pk}")
    confirmed_merge(source=source, target=target, user=reviewer)
    comment.refresh_from_db()
    assert (comment.claim, comment.verdict) == (target, verdict)


# --- notifications of the verdict workflow -----------------------------------------------


def test_submit_mails_reviewers_but_not_contributors(
    editor, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    second = factories.ReviewerFactory()
    both = factories.EditorFactory()
    both.groups.add(Group.objects.get(name=roles.REVIEWERS))
    factories.established(both)
    claim = factories.ClaimFactory()
    with django_capture_on_commit_callbacks(execute=True):
        draft = a_draft(claim, both)
        verdicts.verdict_submit(verdict=draft, user=both, version=draft.version)
    assert recipients(mailoutbox) == sorted([reviewer.email, second.email])
    assert mailoutbox[0].subject.startswith("Review requested")


def test_mail_links_are_absolute(
    editor, reviewer, mailoutbox, settings, django_capture_on_commit_callbacks
):
    """A link in a mail has no page to be relative to: it carries the site's address."""
    settings.SITE_URL = "https://factcheck.example.org/"
    claim = factories.ClaimFactory()
    draft = a_draft(claim, editor)
    with django_capture_on_commit_callbacks(execute=True):
        verdicts.verdict_submit(verdict=draft, user=editor, version=draft.version)
    assert f"https://factcheck.example.org/desk/claims/{claim.pk}/" in mailoutbox[0].body


def test_changes_requested_and_approved_mail_the_contributors(
    editor, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    claim = factories.ClaimFactory()
    co_editor = factories.EditorFactory()
    verdict = submitted(claim, editor, django_capture_on_commit_callbacks)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        verdict = verdicts.verdict_request_changes(
            verdict=verdict, user=reviewer, version=verdict.version, comment="Add a source."
        )
    assert recipients(mailoutbox) == [editor.email]
    assert "Changes requested" in mailoutbox[0].subject and "Add a source." in mailoutbox[0].body

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        verdict = verdicts.verdict_save(
            claim=claim,
            user=co_editor,
            rating="false",
            summary="Better.",
            evidence=[],
            version=verdict.version,
        )
        verdict = verdicts.verdict_submit(verdict=verdict, user=co_editor, version=verdict.version)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        verdicts.verdict_approve(verdict=verdict, user=reviewer, version=verdict.version)
    assert recipients(mailoutbox) == sorted([editor.email, co_editor.email])
    assert "Approved" in mailoutbox[0].subject
    assert reverse("claim_public", args=[claim.slug]) in mailoutbox[0].body


def test_opt_out_is_respected(editor, reviewer, mailoutbox, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(user=reviewer, email=False)
    factories.ReviewerFactory(email="")  # no address: nothing to send
    submitted(factories.ClaimFactory(), editor, django_capture_on_commit_callbacks)
    assert mailoutbox == []


def test_nothing_is_mailed_when_the_transaction_is_refused(
    editor, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    verdict = submitted(factories.ClaimFactory(), editor, django_capture_on_commit_callbacks)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Stale):
        verdicts.verdict_request_changes(
            verdict=verdict, user=reviewer, version=verdict.version - 1, comment="No."
        )
    assert callbacks == [] and mailoutbox == []


def test_a_failing_mail_server_does_not_fail_the_change(
    editor, reviewer, settings, django_capture_on_commit_callbacks, caplog
):
    settings.MAILERS = {"default": {"BACKEND": "tests.claims.test_teamwork.BrokenBackend"}}
    verdict = submitted(factories.ClaimFactory(), editor, django_capture_on_commit_callbacks)
    assert verdict.status == Status.SUBMITTED
    assert "Notification to user" in caplog.text


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("no mail server")


def test_preferences_page_toggles_mail(editor, editor_client):
    url = reverse("preferences")
    assert editor_client.get(url).context["form"].initial == {"email": True, "language": ""}
    editor_client.post(url, {})
    assert NotificationPreference.objects.get(user=editor).email is False
    assert editor_client.get(url).context["form"].initial == {"email": False, "language": ""}
    editor_client.post(url, {"email": "on"})
    assert NotificationPreference.objects.get(user=editor).email is True


# --- withdraw ---------------------------------------------------------------------------


def test_withdraw_takes_a_submitted_verdict_back_to_draft(
    editor, django_capture_on_commit_callbacks
):
    verdict = submitted(factories.ClaimFactory(), editor, django_capture_on_commit_callbacks)
    verdict = verdicts.verdict_withdraw(verdict=verdict, user=editor, version=verdict.version)
    assert verdict.status == Status.DRAFT and verdict.submitted_at is None
    last = VerdictTransition.objects.filter(verdict=verdict).order_by("-pk").first()
    assert (last.from_status, last.to_status, last.user) == (
        Status.SUBMITTED,
        Status.DRAFT,
        editor,
    )
    with pytest.raises(NotAllowed, match="draft can't be withdrawn"):
        verdicts.verdict_withdraw(verdict=verdict, user=editor, version=verdict.version)


def test_withdraw_is_for_contributing_editors_with_a_fresh_form(
    editor, reviewer, django_capture_on_commit_callbacks
):
    verdict = submitted(factories.ClaimFactory(), editor, django_capture_on_commit_callbacks)
    with pytest.raises(NotAllowed):
        verdicts.verdict_withdraw(
            verdict=verdict, user=factories.EditorFactory(), version=verdict.version
        )
    with pytest.raises(NotAllowed):
        verdicts.verdict_withdraw(verdict=verdict, user=reviewer, version=verdict.version)
    with pytest.raises(Stale):
        verdicts.verdict_withdraw(verdict=verdict, user=editor, version=verdict.version - 1)


def test_withdraw_button_and_view(
    editor, editor_client, htmx_headers, django_capture_on_commit_callbacks
):
    claim = factories.ClaimFactory()
    verdict = submitted(claim, editor, django_capture_on_commit_callbacks)
    page = editor_client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    url = reverse("verdict_withdraw", args=[verdict.pk])
    assert url in page and "Withdraw from review" in page
    other = factories.EditorFactory()
    from django.test import Client

    other_client = Client()
    other_client.force_login(other)
    assert (
        "Withdraw from review"
        not in other_client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
    )
    assert other_client.post(url, {"version": verdict.version}).status_code == 403

    response = editor_client.post(url, {"version": verdict.version}, headers=htmx_headers)
    assert response.status_code == 200
    assert "Withdrawn from review" in response.content.decode()
    verdict.refresh_from_db()
    assert verdict.status == Status.DRAFT


# --- the activity feed ------------------------------------------------------------------


def _history(reviewer, editor, callbacks):
    claim = factories.ClaimFactory()
    factories.AnnotationFactory(claim=claim)  # made directly: no history row
    verdict = submitted(claim, editor, callbacks)
    claim_update(claim=claim, user=editor, statement=claim.statement + " again", claimant="")
    comment_create(claim=claim, user=reviewer, body="Note")
    confirmed_merge(source=factories.ClaimFactory(), target=claim, user=reviewer)
    article = factories.ArticleFactory()
    article_correct(
        article=article, user=editor, new_text=article.body + " Corrected.", reason="Typo"
    )
    return claim, verdict


def test_activity_shows_every_kind_newest_first(
    editor, reviewer, django_capture_on_commit_callbacks
):
    source = factories.ClaimFactory()
    factories.AnnotationFactory(claim=source)
    _history(reviewer, editor, django_capture_on_commit_callbacks)
    confirmed_merge(source=source, target=factories.ClaimFactory(), user=reviewer)
    page = activity_page(1)
    kinds = [item.kind for item in page.items]
    # The reviewer's account got its powers too: on the feed (issue 24, finding 6).
    assert set(kinds) == {
        "highlight", "verdict", "wording", "comment", "merge", "correction", "grant"
    }  # fmt: skip
    assert [item.at for item in page.items] == sorted(
        (item.at for item in page.items), reverse=True
    )
    assert not page.has_next


PER_ROUND = 6  # two verdict transitions, a wording change, a comment, a merge, a correction


def test_activity_entries_read_as_sentences_with_excerpts(
    editor, reviewer, editor_client, django_capture_on_commit_callbacks
):
    """QA: "Highlight created in “<article>” <claim>" had no joining word, and comments
    showed nothing of what was written."""
    claim = factories.ClaimFactory(statement="Putin congratulated Trump")
    article = factories.ArticleFactory(title="Kremlin denies reports")
    annotation_create(
        article=article, user=editor, stance="asserts", start=0, end=7,
        exact=article.body[:7], claim=claim,
    )  # fmt: skip
    verdict = submitted(claim, editor, django_capture_on_commit_callbacks)
    verdicts.verdict_request_changes(
        verdict=verdict, user=reviewer, version=verdict.version, comment="Add the TASS link."
    )
    comment_create(
        claim=claim, user=reviewer,
        body="The **Caliber** piece is the [denial](https://caliber.az/x). " + "More. " * 60,
    )  # fmt: skip
    claim_update(claim=claim, user=editor, statement=claim.statement, claimant="Vyorstka")
    article_correct(
        article=article,
        user=editor,
        new_text=article.body.replace(article.body[:7], article.body[:7] + " indeed", 1),
        reason="The outlet fixed a typo in its second paragraph.",
    )
    html = editor_client.get(reverse("activity")).content.decode()
    sentences = [
        " ".join(re.sub(r"<[^>]+>", "", s).split())
        for s in re.findall(r'<p class="activity-sentence">(.*?)</p>', html, re.S)
    ]
    assert sentences == [
        "Corrected the text of Kremlin denies reports",
        "Named “Vyorstka” as the claimant of Putin congratulated Trump",
        "Commented on Putin congratulated Trump",
        "Asked for changes to the verdict on Putin congratulated Trump",
        "Submitted the verdict on Putin congratulated Trump for review",
        "Started a draft verdict on Putin congratulated Trump",
        "Highlighted words in “Kremlin denies reports” for the claim Putin congratulated Trump",
        f"Gave reviewer powers to {reviewer.username}: confirmed",
    ]
    excerpts = re.findall(r'<blockquote class="activity-excerpt">(.*?)</blockquote>', html)
    assert excerpts[0] == "The outlet fixed a typo in its second paragraph."
    assert excerpts[1].startswith("The Caliber piece is the denial. More. More.")
    assert excerpts[1].endswith("…") and len(excerpts[1]) <= EXCERPT
    assert excerpts[2] == "Add the TASS link."


@pytest.mark.parametrize("rounds", [1, 12])
def test_activity_page_has_a_fixed_number_of_queries(
    rounds, editor, reviewer, editor_client, django_assert_num_queries,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    for _ in range(rounds):
        _history(reviewer, editor, django_capture_on_commit_callbacks)
    # session, user, groups×2 (roles), then one query per kind of history
    grants = RoleGrant.objects.count()  # the reviewer's: reviewer powers are in the feed too
    with django_assert_num_queries(4 + 8):  # eight: spread adds resurfacing alerts
        response = editor_client.get(reverse("activity"))
    assert response.status_code == 200
    items = response.context["page"].items
    assert len(items) == min(rounds * PER_ROUND + grants, PAGE_SIZE)
    assert response.context["page"].has_next is (rounds * PER_ROUND + grants > PAGE_SIZE)
    if rounds * PER_ROUND + grants > PAGE_SIZE:
        with django_assert_num_queries(4 + 8):  # eight: spread adds resurfacing alerts
            second = editor_client.get(reverse("activity"), {"page": 2})
        assert second.context["page"].items[0].at <= items[-1].at


def test_activity_page_number_is_clamped(editor_client):
    assert editor_client.get(reverse("activity"), {"page": "abc"}).context["page"].number == 1
    assert editor_client.get(reverse("activity"), {"page": "-3"}).context["page"].number == 1
    assert editor_client.get(reverse("activity"), {"page": "10000"}).context["page"].number == 20
