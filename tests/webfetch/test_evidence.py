"""Evidence archived: a snapshot when a verdict's evidence is saved, shown on the desk,
linked from the public fact check, recorded by the published revision; dead links marked."""

import zlib
from datetime import timedelta

import pytest
from django.utils import timezone

from claims.models import PublishedRevision
from claims.services import verdicts
from tests import factories
from tests.claims.helpers import publish
from tests.webfetch.conftest import bench_page
from webfetch.models import EvidenceCheck, EvidenceSnapshot
from webfetch.services import evidence_check_due, evidence_snapshot_take

pytestmark = pytest.mark.django_db


def test_saving_evidence_archives_it(
    web, editor, editor_client, django_capture_on_commit_callbacks
):
    html = bench_page("en-wheat-prices")
    url = web.route("/report", html=html)
    claim = factories.ClaimFactory()
    with django_capture_on_commit_callbacks(execute=True):
        verdicts.verdict_save(
            claim=claim,
            user=editor,
            rating="false",
            summary="No.",
            version=None,
            evidence=[{"url": url, "title": "Report", "publisher": "", "note": ""}],
        )
    snapshot = EvidenceSnapshot.objects.get()
    assert snapshot.url == snapshot.final_url == url
    assert snapshot.status == 200 and snapshot.content_type == "text/html"
    assert zlib.decompress(bytes(snapshot.raw)) == html.encode()
    import hashlib

    assert snapshot.sha256 == hashlib.sha256(html.encode()).hexdigest()
    assert "Export prices for wheat shipped from Black Sea ports" in snapshot.text
    assert snapshot.fetched_at is not None and not snapshot.published
    page = editor_client.get(f"/desk/claims/{claim.pk}/").content.decode()
    assert f'href="/desk/archive/{snapshot.pk}/">archived {timezone.now():%-d %b %Y}</a>' in page
    archived = editor_client.get(f"/desk/archive/{snapshot.pk}/").content.decode()
    assert "Export prices for wheat shipped" in archived and snapshot.sha256 in archived
    # Saving the same evidence again does not fetch it again.
    with django_capture_on_commit_callbacks(execute=True):
        verdicts.verdict_save(
            claim=claim,
            user=editor,
            rating="false",
            summary="No!",
            version=1,
            evidence=[{"url": url, "title": "Report", "publisher": "", "note": ""}],
        )
    assert EvidenceSnapshot.objects.count() == 1


def test_evidence_that_cannot_be_archived_says_why(settings):
    settings.FETCH_ALLOW_PRIVATE_NETWORKS = False
    snapshot = evidence_snapshot_take(url="http://169.254.169.254/latest/")
    assert not snapshot.ok and "link-local" in snapshot.error
    assert snapshot.raw == b"" and snapshot.text == ""


def test_a_pdf_is_archived_as_bytes(web):
    url = web.route("/r.pdf", body=b"%PDF-1.7 data", headers={"Content-Type": "application/pdf"})
    snapshot = evidence_snapshot_take(url=url)
    assert snapshot.ok and snapshot.raw_bytes() == b"%PDF-1.7 data" and snapshot.text == ""


def test_the_published_revision_records_the_snapshot_and_links_it(web, client):
    url = web.route("/source", html=bench_page("en-clinic-waiting"))
    snapshot = evidence_snapshot_take(url=url)
    verdict = publish(evidence=[{"url": url, "title": "Trust report"}])
    revision = PublishedRevision.objects.get(claim=verdict.claim)
    assert revision.evidence[0]["archived"] == {
        "id": snapshot.pk,
        "at": snapshot.requested_at.isoformat(),
    }
    snapshot.refresh_from_db()
    assert snapshot.published
    page = client.get(revision.get_absolute_url()).content.decode()
    assert f'href="{url}"' in page
    assert f'href="/archive/{snapshot.pk}/">archived copy</a>' in page
    public = client.get(f"/archive/{snapshot.pk}/")
    assert public.status_code == 200
    assert "Patients at the region" in public.content.decode()


def test_a_later_snapshot_does_not_change_a_published_revision(web):
    url = web.route("/source", html=bench_page("en-clinic-waiting"))
    first = evidence_snapshot_take(url=url)
    verdict = publish(evidence=[{"url": url, "title": "Trust report"}])
    evidence_snapshot_take(url=url)
    revision = PublishedRevision.objects.get(claim=verdict.claim)
    assert revision.evidence[0]["archived"]["id"] == first.pk


def test_unpublished_snapshots_are_not_public(web, client):
    snapshot = evidence_snapshot_take(url=web.route("/s", html=bench_page("en-clinic-waiting")))
    assert client.get(f"/archive/{snapshot.pk}/").status_code == 404
    assert client.get(f"/desk/archive/{snapshot.pk}/").status_code == 302  # sign in first


def test_the_periodic_check_marks_dead_links_on_the_desk(web, editor_client):
    alive = web.route("/alive", html=bench_page("en-clinic-waiting"))
    gone = web.route("/gone", status=410, body=b"gone", headers={"Content-Type": "text/html"})
    missing = web.url("/missing")
    broken = web.route("/broken", status=503, body=b"down", headers={"Content-Type": "text/html"})
    links = [{"url": u, "title": u} for u in (alive, gone, missing, broken)]
    verdict = publish(evidence=links)
    checks = evidence_check_due(older_than=timezone.now() - timedelta(hours=24))
    dead = {c.url: c.dead for c in checks}
    assert dead == {alive: False, gone: True, missing: True, broken: False}
    assert EvidenceCheck.objects.get(url=gone).reason == "the server answered 410 Gone"
    # Checked recently: not checked again.
    assert evidence_check_due(older_than=timezone.now() - timedelta(hours=24)) == []
    page = editor_client.get(f"/desk/claims/{verdict.claim_id}/").content.decode()
    assert page.count("dead link (") == 2


def test_archiving_can_be_turned_off(web, editor, settings, django_capture_on_commit_callbacks):
    settings.EVIDENCE_ARCHIVE = False
    url = web.route("/report", html=bench_page("en-wheat-prices"))
    with django_capture_on_commit_callbacks(execute=True):
        verdicts.verdict_save(
            claim=factories.ClaimFactory(),
            user=editor,
            rating="false",
            summary="No.",
            version=None,
            evidence=[{"url": url, "title": "Report", "publisher": "", "note": ""}],
        )
    assert not EvidenceSnapshot.objects.exists() and web.requests == []
