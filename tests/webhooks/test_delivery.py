"""Webhook deliveries against a real receiver on 127.0.0.1 (tests/webhooks/conftest.py):
signatures, retries, the private-address rule, turning an endpoint off, the Slack format,
which endpoints an event reaches, and nothing sent for a rolled-back publish."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from tests import factories
from tests.claims.helpers import confirmed_merge, publish, republish
from tests.webhooks.conftest import published_claim
from webhooks import services, tasks
from webhooks.models import Delivery, Endpoint, Event

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def queued_deliveries():
    """The delivery tasks waiting in the database backend's queue (other apps queue theirs)."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        status="READY", task_path=tasks.webhook_deliver.module_path
    ).order_by("pk")


def publish_and_send(django_capture_on_commit_callbacks, claim=None):
    """Publish a claim; its deliveries are sent when the publish commits (the suite's task
    backend runs them at once)."""
    with django_capture_on_commit_callbacks(execute=True):
        publish(claim or published_claim())


def test_the_signature_verifies_with_the_endpoint_secret(
    endpoint, receiver, django_capture_on_commit_callbacks
):
    claim = published_claim()
    publish_and_send(django_capture_on_commit_callbacks, claim)
    [request] = receiver.received
    payload = Webhook(endpoint.secret).verify(request.body, request.headers)
    assert payload["type"] == "fact_check.published"
    assert payload["data"]["id"] == claim.pk and payload["data"]["revision"] == 1
    assert payload["data"]["url"].endswith(f"/claims/{claim.slug}/")
    assert request.headers["webhook-signature"].startswith("v1,")
    assert request.headers["content-type"] == "application/json"
    delivery = Delivery.objects.get()
    assert request.headers["webhook-id"] == delivery.message_id
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("sent", 1, 200)
    assert delivery.response_body == "answer 200"
    with pytest.raises(WebhookVerificationError):  # another secret
        Webhook(Endpoint.objects.create(url=receiver.url()).secret).verify(
            request.body, request.headers
        )
    with pytest.raises(WebhookVerificationError):  # a changed body
        Webhook(endpoint.secret).verify(request.body.replace(b"false", b"true"), request.headers)


def test_a_500_is_tried_again_later_and_then_delivered(
    endpoint, receiver, django_capture_on_commit_callbacks, settings
):
    settings.TASKS = DB_TASKS
    receiver.answers = [500, 200]
    publish_and_send(django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    [queued] = queued_deliveries()
    assert queued.args_kwargs["args"] == [delivery.pk]
    queued.delete()

    tasks.webhook_deliver.call(delivery.pk)  # the worker runs it
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("pending", 1, 500)
    assert delivery.error == "the server answered 500"
    assert delivery.response_body == "answer 500"
    first_try = delivery.last_attempt_at
    assert delivery.next_attempt_at == first_try + timedelta(minutes=1)
    [retry] = queued_deliveries()
    assert retry.run_after == delivery.next_attempt_at
    assert retry.args_kwargs["args"] == [delivery.pk]

    # Run early (the worker's clock before run_after), nothing is sent.
    assert services.delivery_attempt(delivery_id=delivery.pk, now=first_try) is None
    assert len(receiver.received) == 1
    # At the scheduled time, it goes.
    done = services.delivery_attempt(delivery_id=delivery.pk, now=retry.run_after)
    assert (done.status, done.attempts, done.response_status, done.error) == ("sent", 2, 200, "")
    assert len(receiver.received) == 2
    first, second = receiver.received
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == delivery.message_id
    assert first.body == second.body
    Webhook(endpoint.secret).verify(second.body, second.headers)


def test_the_back_off_covers_about_a_day_then_gives_up(endpoint, receiver):
    receiver.answers = [503]
    delivery = Delivery.objects.create(endpoint=endpoint, event="fact_check.published", payload={})
    now, waits = timezone.now(), []
    while True:
        done = services.delivery_attempt(delivery_id=delivery.pk, now=now)
        if done.next_attempt_at is None:
            break
        waits.append(done.next_attempt_at - now)
        now = done.next_attempt_at
    assert waits == list(services.RETRY_DELAYS)
    assert timedelta(hours=17) < sum(waits, timedelta()) < timedelta(hours=25)
    assert (done.status, done.attempts) == ("failed", 7)
    assert len(receiver.received) == 7
    assert services.delivery_attempt(delivery_id=delivery.pk, now=now + timedelta(days=2)) is None


def test_no_delivery_to_a_private_address_unless_the_setting_allows_it(
    endpoint, receiver, settings
):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False
    settings.FETCH_ALLOW_PRIVATE_NETWORKS = True  # the fetcher's own setting: not this one
    delivery = Delivery.objects.create(endpoint=endpoint, event="fact_check.published", payload={})
    done = services.delivery_attempt(delivery_id=delivery.pk)
    assert receiver.received == []
    assert "127.0.0.1 is not on the public internet: 127.0.0.1 is a loopback address" in done.error
    assert done.status == "pending" and done.response_status is None

    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = ["127.0.0.1/32"]
    done = services.delivery_attempt(delivery_id=delivery.pk, now=done.next_attempt_at)
    assert done.status == "sent" and len(receiver.received) == 1


def test_a_redirect_is_not_followed_for_a_webhook(endpoint, receiver):
    receiver.answers = [307]
    receiver.redirect_to = "http://127.0.0.1:1/elsewhere"
    delivery = Delivery.objects.create(endpoint=endpoint, event="fact_check.published", payload={})
    done = services.delivery_attempt(delivery_id=delivery.pk)
    assert done.response_status == 307 and done.status == "pending"
    assert "not followed for a POST" in done.error
    assert len(receiver.received) == 1


def _give_up(delivery, now):
    while (done := services.delivery_attempt(delivery_id=delivery.pk, now=now)) is not None:
        if done.next_attempt_at is None:
            return done
        now = done.next_attempt_at
    return None


def test_an_endpoint_failing_again_and_again_is_turned_off_and_the_admins_told(
    endpoint, receiver, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_DISABLE_AFTER = 2
    admin = factories.AdminFactory(email="admin@example.org")
    factories.AdminFactory(email="")  # no address: no mail
    factories.EditorFactory(email="editor@example.org")  # not an admin
    receiver.answers = [500]
    first, second, waiting = (
        Delivery.objects.create(endpoint=endpoint, event="fact_check.published", payload={})
        for _ in range(3)
    )
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        _give_up(first, now)
    endpoint.refresh_from_db()
    assert endpoint.active and endpoint.consecutive_failures == 1
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        _give_up(second, now)
    endpoint.refresh_from_db()
    assert not endpoint.active and endpoint.disabled_at is not None
    assert endpoint.disabled_reason == "Turned off after 2 failed deliveries in a row."
    [message] = mail.outbox
    assert message.to == [admin.email]
    assert endpoint.url in message.subject and "turned off" in message.subject
    assert f"/admin/webhooks/endpoint/{endpoint.pk}/change/" in message.body
    waiting.refresh_from_db()  # the endpoint's other waiting delivery is not tried
    assert (waiting.status, waiting.error) == ("failed", "the endpoint is turned off")
    sent = len(receiver.received)
    assert services.delivery_attempt(delivery_id=waiting.pk) is None
    # A new event reaches no endpoint that is off.
    publish_and_send(django_capture_on_commit_callbacks)
    assert Delivery.objects.count() == 3 and len(receiver.received) == sent


def test_a_success_clears_the_failures_in_a_row(endpoint, receiver, settings):
    settings.WEBHOOK_DISABLE_AFTER = 2
    receiver.answers = [500] * 7 + [200]
    failing, working = (
        Delivery.objects.create(endpoint=endpoint, event="fact_check.published", payload={})
        for _ in range(2)
    )
    _give_up(failing, timezone.now())
    assert services.delivery_attempt(delivery_id=working.pk).status == "sent"
    endpoint.refresh_from_db()
    assert endpoint.active and endpoint.consecutive_failures == 0


def test_the_slack_format_sends_a_text_message(db, receiver, django_capture_on_commit_callbacks):
    slack = Endpoint.objects.create(
        url=receiver.url("/slack"), events=["fact_check.published"], format="slack"
    )
    claim = factories.ClaimFactory(statement="Water is <dry> & cold")
    factories.AnnotationFactory(claim=claim)
    publish_and_send(django_capture_on_commit_callbacks, claim)
    [request] = receiver.received
    assert request.path == "/slack"
    message = json.loads(request.body)
    assert list(message) == ["text"]
    assert message["text"] == (
        f"Fact check published: <http://127.0.0.1:8000/claims/{claim.slug}/|"
        "Water is &lt;dry&gt; &amp; cold> — rated False."
    )
    Webhook(slack.secret).verify(request.body, request.headers, json_parse=False)


def test_an_event_reaches_each_active_endpoint_subscribed_to_it_once(
    db, receiver, django_capture_on_commit_callbacks
):
    everything = Endpoint.objects.create(url=receiver.url("/all"), events=list(Event.values))
    updates = Endpoint.objects.create(url=receiver.url("/updates"), events=["fact_check.updated"])
    Endpoint.objects.create(url=receiver.url("/off"), events=list(Event.values), active=False)
    claim = published_claim()
    publish_and_send(django_capture_on_commit_callbacks, claim)
    assert [(d.endpoint, d.event) for d in Delivery.objects.all()] == [
        (everything, "fact_check.published")
    ]
    with django_capture_on_commit_callbacks(execute=True):
        republish(claim, update_note="A new source.")
    updated = Delivery.objects.filter(event="fact_check.updated").order_by("endpoint_id")
    assert [d.endpoint for d in updated] == [everything, updates]
    assert updated[0].payload["data"]["revision"] == 2
    assert updated[0].payload["data"]["update_note"] == "A new source."
    assert sorted(r.path for r in receiver.received) == ["/all", "/all", "/updates"]


def test_a_published_claim_merged_into_another_is_an_event(
    endpoint, receiver, django_capture_on_commit_callbacks
):
    source, target = published_claim(), published_claim()
    publish(source)
    publish(target)
    Delivery.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        confirmed_merge(source=source, target=target, user=factories.ReviewerFactory())
    [delivery] = Delivery.objects.all()
    assert delivery.event == "fact_check.merged"
    data = delivery.payload["data"]
    assert (data["id"], data["slug"]) == (source.pk, source.slug)
    assert (data["merged_into"]["id"], data["merged_into"]["slug"]) == (target.pk, target.slug)
    assert data["merged_into"]["api_url"].endswith(f"/api/v1/fact-checks/{target.slug}")
    assert delivery.status == "sent" and len(receiver.received) == 1


def test_merging_an_unpublished_claim_is_no_event(endpoint, django_capture_on_commit_callbacks):
    source, target = published_claim(), published_claim()
    with django_capture_on_commit_callbacks(execute=True):
        confirmed_merge(source=source, target=target, user=factories.ReviewerFactory())
    assert not Delivery.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_publish_sends_nothing(receiver, roles_after_flush):
    Endpoint.objects.create(url=receiver.url(), events=list(Event.values))
    claim = published_claim()
    with pytest.raises(RuntimeError), transaction.atomic():
        publish(claim)
        assert Delivery.objects.count() == 1  # written with the publish…
        raise RuntimeError("the publish fails after its revision was written")
    assert not Delivery.objects.exists()  # …and gone with it
    assert receiver.received == []
    publish(claim)  # committed: sent (the suite's task backend runs it at once)
    assert Delivery.objects.get().status == "sent" and len(receiver.received) == 1


@override_settings(TASKS=DB_TASKS)
def test_the_worker_queue_holds_one_task_per_delivery(
    db, receiver, django_capture_on_commit_callbacks
):
    for path in ("/a", "/b"):
        Endpoint.objects.create(url=receiver.url(path), events=["fact_check.published"])
    publish_and_send(django_capture_on_commit_callbacks)
    ids = sorted(Delivery.objects.values_list("pk", flat=True))
    queued = sorted(r.args_kwargs["args"][0] for r in queued_deliveries())
    assert queued == ids and len(ids) == 2
    assert receiver.received == []  # nothing sent before the worker runs


@pytest.mark.django_db(transaction=True)  # the worker closes its connections between tasks
def test_the_database_worker_sends_what_is_due_and_keeps_the_retry_for_later(
    roles_after_flush, receiver, settings
):
    """django-tasks-db's worker (what `manage.py worker` runs) in batch mode: the delivery
    queued by the publish is sent; the 500's retry waits for its run_after."""
    from django.core.management import call_command

    settings.TASKS = DB_TASKS
    endpoint = Endpoint.objects.create(url=receiver.url(), events=["fact_check.published"])
    receiver.answers = [500, 200]
    publish(published_claim())  # committed: its delivery's task queued
    assert receiver.received == []
    call_command("db_worker", batch=True, interval=0, verbosity=0)
    delivery = Delivery.objects.get(endpoint=endpoint)
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("pending", 1, 500)
    [retry] = queued_deliveries()
    assert retry.run_after == delivery.next_attempt_at > timezone.now()
    call_command("db_worker", batch=True, interval=0, verbosity=0)  # not due yet
    assert len(receiver.received) == 1
