"""The worker's webhook task (Django's tasks framework; the worker is `manage.py worker`).

``webhook_deliver`` sends one delivery; a failed one is queued again for its next attempt
(``run_after``, which the database backend keeps). ``deliveries_queue`` is what the event
receivers call: the deliveries written in the event's transaction, their tasks queued
once it commits.
"""

from django.db import transaction
from django.tasks import default_task_backend, task

from webhooks import services
from webhooks.models import Delivery


@task()
def webhook_deliver(delivery_id: int) -> None:
    delivery = services.delivery_attempt(delivery_id=delivery_id)
    if delivery is not None and delivery.next_attempt_at is not None:
        retry_queue(delivery)


def retry_queue(delivery: Delivery) -> bool:
    """Queue the delivery's next attempt at ``next_attempt_at``; only a backend that can
    run a task later (the database's) keeps it. True when queued."""
    if not default_task_backend.supports_defer:
        return False
    webhook_deliver.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)
    return True


def _enqueue_on_commit(ids: list[int]) -> None:
    if ids:
        transaction.on_commit(lambda: [webhook_deliver.enqueue(pk) for pk in ids])


def deliveries_queue(*, event: str, payload: dict) -> list[Delivery]:
    """In the event's transaction: its deliveries written, sent once it commits."""
    deliveries = services.deliveries_create(event=event, payload=payload)
    _enqueue_on_commit([d.pk for d in deliveries])
    return deliveries


def delivery_resend_queue(*, delivery: Delivery, user) -> Delivery:
    """ "Send again": the service's checks, then the delivery queued for the worker."""
    delivery = services.delivery_resend(delivery=delivery, user=user)
    webhook_deliver.enqueue(delivery.pk)
    return delivery
