"""Writing and reviewing verdicts through the client, with and without htmx."""

import re
from html import unescape

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from claims.models import Rating, Status, Verdict, VerdictTransition
from claims.services import verdicts as services
from factcheck import roles
from factcheck.sanitize import is_http_url
from tests import factories
from tests.claims.helpers import parse

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def form_data(
    *, version=None, links=(), initial=0, rating=Rating.FALSE, summary="No evidence.", **extra
):
    """What the verdict form posts: the fields and an evidence formset whose first
    ``initial`` rows were loaded from the saved verdict."""
    data = {
        "rating": rating,
        "summary": summary,
        "version": "" if version is None else str(version),
        "correction_note": "",
        "evidence-TOTAL_FORMS": str(len(links)),
        "evidence-INITIAL_FORMS": str(initial),
        "evidence-MIN_NUM_FORMS": "0",
        "evidence-MAX_NUM_FORMS": "30",
    }
    for i, link in enumerate(links):
        for key, value in link.items():
            data[f"evidence-{i}-{key}"] = value
    data.update(extra)
    return data


def link(n, **fields):
    return {"url": f"https://example.org/{n}", "title": f"Source {n}", **fields}


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def both_roles():
    user = factories.EditorFactory()
    user.groups.add(Group.objects.get(name=roles.REVIEWERS))
    factories.established(user)
    return user


def edit_url(claim):
    return reverse("verdict_edit", args=[claim.pk])


def submitted_verdict(author=None):
    author = author or factories.EditorFactory()
    verdict = services.verdict_save_and_submit(
        claim=factories.ClaimFactory(),
        user=author,
        version=None,
        rating=Rating.FALSE,
        summary="Denied by the Kremlin.",
        evidence=[link(1)],
    )
    return verdict


# --- permissions -------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client):
    verdict = submitted_verdict()
    urls = [
        edit_url(verdict.claim),
        reverse("verdict_submit", args=[verdict.pk]),
        reverse("verdict_approve", args=[verdict.pk]),
        reverse("verdict_request_changes", args=[verdict.pk]),
    ]
    for url in urls:
        response = client.post(url, {"version": verdict.version, "comment": "x"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    verdict.refresh_from_db()
    assert verdict.status == Status.SUBMITTED


def test_reviewer_without_editor_role_cannot_write(reviewer_client):
    claim = factories.ClaimFactory()
    response = reviewer_client.post(edit_url(claim), form_data())
    assert response.status_code == 403
    assert not Verdict.objects.exists()


def test_editor_cannot_approve_or_request_changes(editor_client):
    verdict = submitted_verdict()
    for name in ("verdict_approve", "verdict_request_changes"):
        response = editor_client.post(
            reverse(name, args=[verdict.pk]), {"version": verdict.version, "comment": "ok"}
        )
        assert response.status_code == 403
    verdict.refresh_from_db()
    assert verdict.status == Status.SUBMITTED


def test_reviewer_sees_no_editing_form(reviewer_client):
    claim = factories.ClaimFactory()
    response = reviewer_client.get(edit_url(claim))
    assert response.status_code == 200
    assert b"Save draft" not in response.content


# --- writing -------------------------------------------------------------------------------


def test_editor_saves_a_draft_without_javascript(editor, editor_client):
    claim = factories.ClaimFactory()
    response = editor_client.post(edit_url(claim), form_data(links=[link(1), link(2)], save="1"))
    assert response.status_code == 302
    assert response["Location"] == reverse("claim_detail", args=[claim.pk])
    verdict = Verdict.objects.get()
    assert (verdict.status, verdict.author, verdict.rating) == (Status.DRAFT, editor, "false")
    assert [e.title for e in verdict.evidence.all()] == ["Source 1", "Source 2"]


def test_editor_saves_with_htmx_and_gets_the_section(editor_client):
    claim = factories.ClaimFactory()
    response = editor_client.post(edit_url(claim), form_data(links=[link(1)]), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and 'id="verdict-section"' in html
    assert "Draft saved." in html
    assert "Source 1" in html
    assert response["Vary"] and "HX-Request" in response["Vary"]
    verdict = Verdict.objects.get()
    assert f'name="version" value="{verdict.version}"' in html


def test_submit_for_review_from_the_form(editor_client):
    claim = factories.ClaimFactory()
    editor_client.post(edit_url(claim), form_data(links=[link(1)]), **HTMX)
    verdict = Verdict.objects.get()
    response = editor_client.post(
        edit_url(claim),
        form_data(version=verdict.version, summary="Final.", submit="1"),
        **HTMX,
    )
    assert response.status_code == 200
    verdict.refresh_from_db()
    assert verdict.status == Status.SUBMITTED and verdict.summary == "Final."
    assert "Submitted for review." in response.content.decode()
    assert b"Save draft" not in response.content  # waiting for review: no editing


def test_submit_right_after_save_draft_moves_the_draft_without_a_second_version(editor_client):
    """ "Submit for review" just after "Save draft", nothing changed: the saved draft is
    submitted as it is, not stored again as an identical version (issue 25)."""
    claim = factories.ClaimFactory()
    links = [link(1, publisher="Reuters"), link(2)]
    editor_client.post(edit_url(claim), form_data(links=links, summary="No *evidence*."), **HTMX)
    verdict = Verdict.objects.get()
    assert verdict.versions.count() == 1
    # "Save draft" again with nothing changed stores nothing either.
    data = form_data(version=verdict.version, links=links, initial=2, summary="No *evidence*.")
    editor_client.post(edit_url(claim), data, **HTMX)
    verdict.refresh_from_db()
    assert verdict.versions.count() == 1
    response = editor_client.post(
        edit_url(claim), {**data, "version": str(verdict.version), "submit": "1"}, **HTMX
    )
    assert response.status_code == 200 and "Submitted for review." in response.text
    verdict.refresh_from_db()
    assert verdict.status == Status.SUBMITTED
    assert verdict.versions.count() == 1
    assert list(verdict.transitions.values_list("from_status", "to_status")) == [
        ("", Status.DRAFT),
        (Status.DRAFT, Status.SUBMITTED),
    ]
    # A change made on the way is a version of its own.
    other = factories.ClaimFactory()
    editor_client.post(edit_url(other), form_data(summary="First."), **HTMX)
    draft = Verdict.objects.get(claim=other)
    changed = form_data(version=draft.version, summary="Second.", submit="1")
    editor_client.post(edit_url(other), changed, **HTMX)
    assert list(draft.versions.order_by("number").values_list("summary", flat=True)) == [
        "First.",
        "Second.",
    ]


def test_submit_view(editor_client):
    claim = factories.ClaimFactory()
    editor_client.post(edit_url(claim), form_data())
    verdict = Verdict.objects.get()
    response = editor_client.post(
        reverse("verdict_submit", args=[verdict.pk]), {"version": verdict.version}
    )
    assert response.status_code == 302
    verdict.refresh_from_db()
    assert verdict.status == Status.SUBMITTED


def test_invalid_form_keeps_what_was_typed(editor_client):
    claim = factories.ClaimFactory()
    response = editor_client.post(
        edit_url(claim), form_data(rating="", summary="Half a thought"), **HTMX
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Half a thought" in html and "Choose a rating." in html
    assert not Verdict.objects.exists()


# --- evidence ------------------------------------------------------------------------------


def test_add_another_link_adds_a_row_and_saves_nothing(editor_client):
    claim = factories.ClaimFactory()
    data = form_data(links=[link(1)], summary="Typed so far", add_evidence="1")
    for headers in ({}, HTMX):
        response = editor_client.post(edit_url(claim), data, **headers)
        assert response.status_code == 200
        html = response.content.decode()
        assert 'name="evidence-TOTAL_FORMS" value="2"' in html
        assert 'name="evidence-1-url"' in html
        assert "https://example.org/1" in html and "Typed so far" in html
    assert not Verdict.objects.exists()


def test_evidence_edit_remove_and_reorder(editor_client):
    claim = factories.ClaimFactory()
    editor_client.post(edit_url(claim), form_data(links=[link(1), link(2), link(3)]))
    verdict = Verdict.objects.get()
    links = [
        link(1, ORDER="3"),
        link(2, ORDER="1", DELETE="on"),
        link(3, ORDER="2", title="Source three, renamed"),
        link(4, ORDER="1"),
    ]
    response = editor_client.post(
        edit_url(claim), form_data(version=verdict.version, links=links, initial=3)
    )
    assert response.status_code == 302
    assert [(e.title, e.position) for e in verdict.evidence.all()] == [
        ("Source 4", 0),
        ("Source three, renamed", 1),
        ("Source 1", 2),
    ]


def test_blank_rows_are_ignored(editor_client):
    claim = factories.ClaimFactory()
    blank = {"url": "", "title": "", "publisher": "", "note": ""}
    editor_client.post(edit_url(claim), form_data(links=[blank, link(1), blank]))
    assert [e.title for e in Verdict.objects.get().evidence.all()] == ["Source 1"]


def test_evidence_needs_a_title(editor_client):
    claim = factories.ClaimFactory()
    response = editor_client.post(edit_url(claim), form_data(links=[link(1, title="")]), **HTMX)
    assert response.status_code == 422
    assert not Verdict.objects.exists()


JAVASCRIPT_URLS = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "JAVASCRIPT:alert(document.cookie)",
    "  javascript:alert(1)",
    "\tjavascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "java\rscript:alert(1)",
    "\x01javascript:alert(1)",
    "javascript\x00:alert(1)",
    "jav&#x09;ascript:alert(1)",
    "&#106;avascript:alert(1)",
    "javascript&colon;alert(1)",
    "ｊａｖａｓｃｒｉｐｔ:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
]


@pytest.mark.parametrize("url", JAVASCRIPT_URLS)
def test_javascript_urls_are_refused(editor_client, url):
    claim = factories.ClaimFactory()
    response = editor_client.post(edit_url(claim), form_data(links=[link(1, url=url)]), **HTMX)
    assert response.status_code == 422
    assert "Only web addresses starting with http:// or https://" in response.content.decode()
    assert not Verdict.objects.exists()
    assert 'href="javascript' not in response.content.decode().lower()


def test_summary_is_sanitised(editor_client):
    claim = factories.ClaimFactory()
    summary = (
        "<script>alert(1)</script> <img src=x onerror=alert(2)> "
        "[x](javascript:alert(3)) [y](JaVaScRiPt:alert(4)) [ok](https://example.org/)"
    )
    response = editor_client.post(edit_url(claim), form_data(summary=summary), **HTMX)
    assert response.status_code == 200
    verdict = Verdict.objects.get()
    assert verdict.summary == summary  # the source is kept
    for html in (verdict.summary_html, response.content.decode()):
        page = parse(html)
        assert not page.scripts and not page.handlers
        assert "img" not in [tag for tag, _ in page.tags]
        assert all(is_http_url(url) or url.startswith("/") or url == "#" for _, _, url in page.urls)
    assert 'href="https://example.org/"' in verdict.summary_html


# --- review --------------------------------------------------------------------------------


def test_reviewer_approves_without_javascript(reviewer, reviewer_client):
    verdict = submitted_verdict()
    page = reviewer_client.get(edit_url(verdict.claim)).content.decode()
    assert ">Approve</button>" in page and ">Request changes</button>" in page
    response = reviewer_client.post(
        reverse("verdict_approve", args=[verdict.pk]),
        {"version": verdict.version, "comment": "Checked the sources."},
    )
    assert response.status_code == 302
    verdict.refresh_from_db()
    assert (verdict.status, verdict.reviewer) == (Status.APPROVED, reviewer)


def test_reviewer_requests_changes_with_htmx(reviewer_client):
    verdict = submitted_verdict()
    url = reverse("verdict_request_changes", args=[verdict.pk])
    response = reviewer_client.post(url, {"version": verdict.version, "comment": ""}, **HTMX)
    assert response.status_code == 422
    assert "comment is required" in response.content.decode()
    response = reviewer_client.post(
        url, {"version": verdict.version, "comment": "Cite the transcript."}, **HTMX
    )
    assert response.status_code == 200
    verdict.refresh_from_db()
    assert verdict.status == Status.CHANGES_REQUESTED
    html = response.content.decode()
    assert "Cite the transcript." in html and "Changes requested" in html


def test_author_who_is_also_reviewer_cannot_approve(client):
    author = both_roles()
    verdict = submitted_verdict(author)
    client.force_login(author)
    page = client.get(edit_url(verdict.claim)).content.decode()
    assert ">Approve</button>" not in page
    assert "another reviewer has to approve it" in page
    # Hiding the button is not the check: the server refuses too.
    response = client.post(
        reverse("verdict_approve", args=[verdict.pk]),
        {"version": verdict.version, "comment": "Looks right to me."},
        **HTMX,
    )
    assert response.status_code == 403
    assert "four eyes" in response.content.decode()
    assert "Looks right to me." in response.content.decode()
    verdict.refresh_from_db()
    assert verdict.status == Status.SUBMITTED


def test_last_editor_who_is_also_reviewer_cannot_approve(client):
    verdict = submitted_verdict()
    services.verdict_request_changes(
        verdict=verdict, user=factories.ReviewerFactory(), version=verdict.version, comment="Fix."
    )
    verdict.refresh_from_db()
    last_editor = both_roles()
    client.force_login(last_editor)
    client.post(edit_url(verdict.claim), form_data(version=verdict.version, submit="1"))
    verdict.refresh_from_db()
    assert (verdict.status, verdict.last_edited_by) == (Status.SUBMITTED, last_editor)
    response = client.post(
        reverse("verdict_approve", args=[verdict.pk]), {"version": verdict.version}
    )
    assert response.status_code == 403
    verdict.refresh_from_db()
    assert verdict.status == Status.SUBMITTED


def test_simultaneous_approval_through_the_client(reviewer, reviewer_client):
    verdict = submitted_verdict()
    second = client_for(factories.ReviewerFactory())
    url = reverse("verdict_approve", args=[verdict.pk])
    first = reviewer_client.post(url, {"version": verdict.version}, **HTMX)
    late = second.post(url, {"version": verdict.version, "comment": "Agreed."}, **HTMX)
    assert first.status_code == 200
    assert late.status_code == 409
    html = late.content.decode()
    assert f"changed by {reviewer.username} at" in html
    assert "The verdict is shown below as it is now." in html
    assert "reload" not in html  # the section already shows the verdict as it is now
    assert "Agreed." in html  # the late reviewer's comment is not lost
    assert VerdictTransition.objects.filter(to_status=Status.APPROVED).count() == 1


# --- stale forms and new versions ----------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_stale_form_is_refused_and_keeps_the_text(editor_client, headers):
    claim = factories.ClaimFactory()
    editor_client.post(edit_url(claim), form_data(links=[link(1)]))
    verdict = Verdict.objects.get()
    loaded = verdict.version
    olga = client_for(factories.EditorFactory(username="olga"))
    olga.post(edit_url(claim), form_data(version=loaded, summary="Olga's version."))
    mine = "My careful rewrite, three paragraphs long."
    response = editor_client.post(
        edit_url(claim),
        form_data(version=loaded, summary=mine, links=[link(9, title="My new source")]),
        **headers,
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "changed by olga at" in html
    # The message sits above the section's cards: olga's version is below it, in the
    # current verdict's card, and the editor's text below that, in the form (QA: "above").
    assert "Their version is shown below as the current verdict" in html
    assert "shown above" not in html and "reload" not in html
    message, rest = html.split("Their version is shown below", 1)
    assert "Olga's version." in unescape(rest.split('id="verdict-summary"')[0])
    assert mine in html and "My new source" in html and "https://example.org/9" in html
    verdict.refresh_from_db()
    assert verdict.summary == "Olga's version."
    # Saving again after seeing theirs is a decision, and it goes through.
    assert f'name="version" value="{verdict.version}"' in html
    again = editor_client.post(edit_url(claim), form_data(version=verdict.version, summary=mine))
    assert again.status_code == 302
    verdict.refresh_from_db()
    assert verdict.summary == mine


def test_the_verdict_form_marks_its_required_fields(editor_client):
    """QA: an evidence link's Title is required but was not marked as such."""
    html = editor_client.get(reverse("claim_detail", args=[factories.ClaimFactory().pk]))
    html = html.content.decode()
    labels = {
        unescape(re.sub(r"<[^>]+>", "", text)).strip(): target
        for target, text in re.findall(r'<label for="([^"]+)">(.*?)</label>', html, re.S)
    }
    assert labels["Title (required)"] == "id_evidence-0-title"
    assert labels["Evidence URL (required)"] == "id_evidence-0-url"
    assert labels["Rating (required)"] == "verdict-rating"
    assert labels["Summary (required)"] == "verdict-summary"
    assert labels["Publisher"] == "id_evidence-0-publisher"  # optional: unmarked
    assert labels["Note"] == "id_evidence-0-note"


def test_stale_form_saved_by_the_same_editor_in_another_tab(editor, editor_client):
    """Two tabs, one editor: the message says so rather than naming the editor as someone
    else (QA)."""
    claim = factories.ClaimFactory()
    editor_client.post(edit_url(claim), form_data())
    loaded = Verdict.objects.get().version
    editor_client.post(edit_url(claim), form_data(version=loaded, summary="Tab one's text."))
    response = editor_client.post(
        edit_url(claim), form_data(version=loaded, summary="Tab two's text."), **HTMX
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "changed by you, in another tab or window, at" in html
    assert f"changed by {editor.username}" not in html
    assert "That version is shown below as the current verdict" in html
    assert "Tab two&#x27;s text." in html  # kept in the form


def test_htmx_outcomes_scroll_to_the_message_at_the_top_of_the_section(editor_client):
    """The save buttons sit at the foot of a long form; the message that says what
    happened (saved, refused as stale, invalid) is at the top of the swapped section."""
    claim = factories.ClaimFactory()
    show = "outerHTML show:#verdict-section:top"
    saved = editor_client.post(edit_url(claim), form_data(links=[link(1)]), **HTMX)
    assert saved["HX-Reswap"] == show
    stale = editor_client.post(edit_url(claim), form_data(version=0, summary="Mine."), **HTMX)
    assert stale.status_code == 409 and stale["HX-Reswap"] == show
    invalid = editor_client.post(edit_url(claim), form_data(rating=""), **HTMX)
    assert invalid.status_code == 422 and invalid["HX-Reswap"] == show
    # Adding a row says nothing, so the editor stays where they are typing.
    added = editor_client.post(edit_url(claim), form_data(add_evidence="1"), **HTMX)
    assert "HX-Reswap" not in added


def test_editing_after_approval_keeps_the_published_verdict(editor_client, reviewer):
    verdict = submitted_verdict()
    approved = services.verdict_approve(verdict=verdict, user=reviewer, version=verdict.version)
    page = editor_client.get(edit_url(approved.claim)).content.decode()
    assert "Published verdict" in page
    assert "Correct or update the published verdict" in page
    assert '<input type="hidden" name="version" id="verdict-version">' in page  # no version
    assert approved.summary in page  # the form starts from the published text
    response = editor_client.post(
        edit_url(approved.claim),
        form_data(
            rating=Rating.MISLEADING,
            summary="Updated after the transcript.",
            correction_note="Rating changed.",
        ),
        **HTMX,
    )
    assert response.status_code == 200
    draft = Verdict.objects.open().get(claim=approved.claim)
    assert draft.supersedes == approved and draft.correction_note == "Rating changed."
    approved.refresh_from_db()
    assert approved.status == Status.APPROVED
    html = response.content.decode()
    assert "Published verdict" in html and "New version" in html


def test_history_lists_every_transition(reviewer):
    verdict = submitted_verdict()
    services.verdict_request_changes(
        verdict=verdict, user=reviewer, version=verdict.version, comment="Add the <b>date</b>."
    )
    client = client_for(verdict.author)
    html = client.get(edit_url(verdict.claim)).content.decode()
    history = html.split('id="verdict-history-heading"')[1]
    assert history.count("<tr>") == 1 + 3  # header + created, submitted, changes requested
    assert reviewer.username in history
    assert "Add the &lt;b&gt;date&lt;/b&gt;." in history


def test_section_queries_do_not_grow_with_evidence_or_history(
    editor_client, reviewer, django_assert_max_num_queries
):
    def build(links):
        verdict = services.verdict_save_and_submit(
            claim=factories.ClaimFactory(),
            user=factories.EditorFactory(),
            version=None,
            rating=Rating.FALSE,
            summary="s",
            evidence=[link(n) for n in range(links)],
        )
        services.verdict_request_changes(
            verdict=verdict, user=reviewer, version=verdict.version, comment="c"
        )
        return verdict.claim

    small, large = build(1), build(12)
    with django_assert_max_num_queries(12) as small_queries:
        editor_client.get(edit_url(small))
    with django_assert_max_num_queries(12) as large_queries:
        editor_client.get(edit_url(large))
    assert len(small_queries.captured_queries) == len(large_queries.captured_queries)


# --- garbled input ------------------------------------------------------------------------


def test_submit_with_a_garbled_version_is_refused_not_a_500(editor_client):
    claim = factories.ClaimFactory()
    editor_client.post(edit_url(claim), form_data())
    verdict = Verdict.objects.get()
    url = reverse("verdict_submit", args=[verdict.pk])
    for version in ["²", str(2**70), "", "abc"]:
        response = editor_client.post(url, {"version": version}, **HTMX)
        assert response.status_code == 409, version
    verdict.refresh_from_db()
    assert verdict.status == Status.DRAFT


@pytest.mark.parametrize("rows", ["²", str(2**70), "abc"])
def test_add_evidence_with_a_garbled_row_count_is_not_a_500(editor_client, rows):
    claim = factories.ClaimFactory()
    data = form_data(add_evidence="1", summary="Typed so far")
    data["evidence-TOTAL_FORMS"] = rows
    response = editor_client.post(edit_url(claim), data, **HTMX)
    assert response.status_code == 200
    assert "Typed so far" in response.content.decode()
