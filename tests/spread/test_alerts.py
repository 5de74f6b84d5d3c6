"""Resurfacing alerts: a published claim seen again in a newer article notifies its
assignee (else the reviewers who published it) once, on the activity feed and by mail,
batched by the hour; an unpublished claim notifies nobody."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from claims.models import NotificationPreference, PublishedRevision, Stance
from claims.selectors.activity import activity_page
from spread.alerts import resurfacing_send_due
from spread.models import Resurfacing
from tests import factories
from tests.claims.helpers import first_word_highlight, publish

pytestmark = pytest.mark.django_db
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def published(db):
    """A claim published two days ago with one appearance in an older article."""
    claim = factories.ClaimFactory(statement="Putin congratulated Trump via intermediaries")
    old = factories.ArticleFactory(published_on=timezone.localdate() - timedelta(days=30))
    factories.AnnotationFactory(claim=claim, article=old)
    publish(claim, at=timezone.now() - timedelta(days=2))
    claim.refresh_from_db()
    publisher = PublishedRevision.objects.get(claim=claim).published_by
    return {"claim": claim, "publisher": publisher}


def _appear(claim, editor, outlet: str, *, days_ago: int = 0, stance=Stance.ASSERTS):
    article = factories.ArticleFactory(
        outlet=factories.OutletFactory(name=outlet),
        published_on=timezone.localdate() - timedelta(days=days_ago),
    )
    return first_word_highlight(claim, editor, article, stance=stance)


def _send_when_due(callbacks):
    batch = Resurfacing.objects.get(sent_at__isnull=True)
    with callbacks(execute=True):
        assert resurfacing_send_due(now=batch.due_at - timedelta(seconds=1)) == 0
        return resurfacing_send_due(now=batch.due_at + timedelta(seconds=1))


def test_a_new_appearance_notifies_once_and_a_second_within_the_hour_joins_its_mail(
    published, editor, mailoutbox, django_capture_on_commit_callbacks
):
    claim, publisher = published["claim"], published["publisher"]
    with django_capture_on_commit_callbacks(execute=True):
        first = _appear(claim, editor, "Outlet A")
    batch = Resurfacing.objects.get()
    assert batch.recipients.get() == publisher  # nobody assigned: who published it
    assert mailoutbox == []  # the mail waits for the hour
    feed = [item for item in activity_page(1).items if item.kind == "resurfacing"]
    assert len(feed) == 1 and "Outlet A" in feed[0].text
    assert feed[0].url == first.get_absolute_url()
    with django_capture_on_commit_callbacks(execute=True):
        second = _appear(claim, editor, "Outlet B", stance=Stance.DISPUTES)
    assert Resurfacing.objects.count() == 1
    feed = [item for item in activity_page(1).items if item.kind == "resurfacing"]
    assert len(feed) == 1 and "Outlet A, Outlet B" in feed[0].text
    assert _send_when_due(django_capture_on_commit_callbacks) == 1
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [publisher.email]
    assert "Outlet A, Outlet B" in mail.subject
    assert first.get_absolute_url() in mail.body and second.get_absolute_url() in mail.body
    # Sent once: running it again sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        assert resurfacing_send_due(now=timezone.now() + timedelta(hours=2)) == 0
    assert len(mailoutbox) == 1
    # The next appearance opens a new batch, due an hour after it opened.
    with django_capture_on_commit_callbacks(execute=True):
        _appear(claim, editor, "Outlet C")
    new = Resurfacing.objects.get(sent_at__isnull=True)
    assert new.due_at - new.opened_at == timedelta(hours=1)


def test_an_appearance_on_an_unpublished_claim_notifies_nobody(
    editor, mailoutbox, django_capture_on_commit_callbacks
):
    claim = factories.ClaimFactory()
    factories.VerdictFactory(claim=claim)  # a draft: not published
    with django_capture_on_commit_callbacks(execute=True):
        _appear(claim, editor, "Outlet A")
    assert not Resurfacing.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        resurfacing_send_due(now=timezone.now() + timedelta(hours=2))
    assert mailoutbox == []
    assert not [i for i in activity_page(1).items if i.kind == "resurfacing"]


def test_an_article_older_than_the_published_revision_is_no_resurfacing(published, editor):
    _appear(published["claim"], editor, "Old Outlet", days_ago=10)
    assert not Resurfacing.objects.exists()


def test_the_assignee_is_told_and_not_the_one_who_highlighted(
    published, editor, reviewer, mailoutbox, django_capture_on_commit_callbacks
):
    claim = published["claim"]
    claim.assigned_to = reviewer
    claim.save(update_fields=["assigned_to"])
    with django_capture_on_commit_callbacks(execute=True):
        _appear(claim, editor, "Outlet A")
    assert list(Resurfacing.objects.get().recipients.all()) == [reviewer]
    _send_when_due(django_capture_on_commit_callbacks)
    assert [m.to for m in mailoutbox] == [[reviewer.email]]
    # The assignee's own highlight tells nobody.
    Resurfacing.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        _appear(claim, reviewer, "Outlet B")
    assert not Resurfacing.objects.get().recipients.exists()


def test_mail_turned_off_in_the_preferences_is_not_sent(
    published, editor, client, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(published["publisher"])
    page = client.get(reverse("preferences")).content.decode()
    assert "a published claim I am assigned or published comes back" in page
    client.post(reverse("preferences"), {})  # the box unticked
    assert NotificationPreference.objects.get(user=published["publisher"]).email is False
    with django_capture_on_commit_callbacks(execute=True):
        _appear(published["claim"], editor, "Outlet A")
    assert _send_when_due(django_capture_on_commit_callbacks) == 1
    assert mailoutbox == []
    # Still on the activity feed.
    assert [i for i in activity_page(1).items if i.kind == "resurfacing"]


@pytest.mark.django_db(transaction=True)  # the worker commits and closes its connection
@override_settings(TASKS=DB_TASKS)
def test_the_worker_sends_the_batch_when_its_hour_is_over(
    roles_after_flush, published, editor, mailoutbox, django_capture_on_commit_callbacks
):
    _appear(published["claim"], editor, "Outlet A")
    batch = Resurfacing.objects.get()
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "spread.alerts.send_due_alerts"
    assert queued.run_after == batch.due_at
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    assert mailoutbox == []  # not yet: the worker leaves it until its time
    # The hour passes.
    Resurfacing.objects.update(due_at=timezone.now() - timedelta(seconds=1))
    DBTaskResult.objects.update(run_after=timezone.now() - timedelta(seconds=1))
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    assert len(mailoutbox) == 1 and "Outlet A" in mailoutbox[0].subject
    assert Resurfacing.objects.get().sent_at is not None


def test_the_command_sends_due_batches(
    published, editor, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _appear(published["claim"], editor, "Outlet A")
    Resurfacing.objects.update(due_at=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_resurfacing_alerts", verbosity=0)
    assert len(mailoutbox) == 1
    assert reverse("preferences") in mailoutbox[0].body


def test_an_appearance_with_no_outlet_is_named_in_the_readers_language(published, editor):
    from django.utils import translation

    article = factories.ArticleFactory(outlet=None, published_on=timezone.localdate())
    first_word_highlight(published["claim"], editor, article)
    with translation.override("uk"):
        feed = [item for item in activity_page(1).items if item.kind == "resurfacing"]
    assert len(feed) == 1
    assert "невідоме видання" in str(feed[0].text)
    assert "unknown" not in str(feed[0].text)
