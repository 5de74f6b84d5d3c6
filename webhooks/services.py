"""Every write of the webhooks app (docs/architecture.md, "Webhooks").

- ``deliveries_create``: inside the event's own transaction (a publish, a merge), one
  ``Delivery`` per active endpoint subscribed to the event; a rolled-back publish leaves none.
- ``delivery_attempt``: the worker sends one due delivery (signed, through the safe
  fetcher's POST) and records the answer; a failure is tried again after ``RETRY_DELAYS``
  (about a day in all), then given up; ``WEBHOOK_DISABLE_AFTER`` given-up deliveries in a
  row turn the endpoint off and tell the administrators.
- ``delivery_resend`` ("send again" in the admin) and ``endpoint_secret_rotate``, refused by
  ``policy.may_manage`` to anyone else.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from standardwebhooks.webhooks import Webhook

from factcheck.errors import Refused
from webfetch import fetcher
from webhooks import events, policy
from webhooks.models import Delivery, Endpoint, new_secret

logger = logging.getLogger(__name__)

RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
)
KEPT_CHARS = 500  # of a response's body and of an error, in the log


def deliveries_create(*, event: str, payload: dict) -> list[Delivery]:
    """One delivery per active endpoint subscribed to ``event``, in the caller's transaction
    (the event's: they exist exactly when it committed)."""
    endpoints = [e for e in Endpoint.objects.filter(active=True) if event in e.events]
    return Delivery.objects.bulk_create(
        Delivery(endpoint=endpoint, event=event, payload=payload) for endpoint in endpoints
    )


def signed_headers(endpoint: Endpoint, message_id: str, body: bytes) -> dict[str, str]:
    """The Standard Webhooks headers: id, time of this attempt, and ``v1,<base64 HMAC>``."""
    now = timezone.now()
    return {
        "Content-Type": "application/json",
        "webhook-id": message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(endpoint.secret).sign(message_id, now, body),
    }


def _claim(delivery_id: int, now: datetime) -> Delivery | None:
    """The delivery if it is due at ``now``, its attempt counted by a conditional update
    (two workers, or a retry meeting a "send again", never send it twice at once)."""
    delivery = Delivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != Delivery.Status.PENDING:
        return None
    if delivery.next_attempt_at is not None and delivery.next_attempt_at > now:
        return None
    taken = Delivery.objects.filter(
        pk=delivery.pk, status=Delivery.Status.PENDING, attempts=delivery.attempts
    ).update(attempts=F("attempts") + 1, last_attempt_at=now, next_attempt_at=None)
    if not taken:
        return None
    delivery.attempts += 1
    return delivery


def _send(delivery: Delivery) -> tuple[int | None, str, str]:
    """(response code, start of its body, error — "" when delivered)."""
    endpoint = delivery.endpoint
    body = events.body(endpoint.format, delivery.payload)
    headers = signed_headers(endpoint, delivery.message_id, body)
    try:
        answer = fetcher.post(endpoint.url, body=body, headers=headers)
    except fetcher.FetchError as error:
        return error.status, "", str(error)[:KEPT_CHARS]
    text = answer.body.decode(answer.charset or "utf-8", errors="replace")[:KEPT_CHARS]
    if 200 <= answer.status < 300:
        return answer.status, text, ""
    return answer.status, text, _("the server answered %(status)s") % {"status": answer.status}


def delivery_attempt(*, delivery_id: int, now: datetime | None = None) -> Delivery | None:
    """Send the delivery if it is waiting and due at ``now`` (the worker's clock by default)
    and record what happened; the delivery as recorded (``next_attempt_at`` set when it will
    be tried again), or None when there was nothing to send."""
    now = now or timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return None
    if not delivery.endpoint.active:
        code, text, error = None, "", _("the endpoint is turned off")
    else:
        code, text, error = _send(delivery)
    return _record(delivery.pk, now=now, code=code, text=text, error=error)


@transaction.atomic(durable=True)
def _record(pk: int, *, now: datetime, code, text: str, error: str) -> Delivery:
    delivery = Delivery.objects.select_for_update().get(pk=pk)
    endpoint = Endpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
    delivery.response_status, delivery.response_body, delivery.error = code, text, error
    if not error:
        delivery.status = Delivery.Status.SENT
        endpoint.consecutive_failures = 0
    elif delivery.attempts <= len(RETRY_DELAYS) and endpoint.active:
        delivery.next_attempt_at = now + RETRY_DELAYS[delivery.attempts - 1]
    else:
        delivery.status = Delivery.Status.FAILED
        if endpoint.active:  # given up: one more failed delivery in a row
            endpoint.consecutive_failures += 1
            if endpoint.consecutive_failures >= settings.WEBHOOK_DISABLE_AFTER:
                _turn_off(endpoint, now=now)
    delivery.save()
    endpoint.save(
        update_fields=["consecutive_failures", "active", "disabled_at", "disabled_reason"]
    )
    delivery.endpoint = endpoint
    return delivery


def _turn_off(endpoint: Endpoint, *, now: datetime) -> None:
    endpoint.active = False
    endpoint.disabled_at = now
    endpoint.disabled_reason = _("Turned off after %(count)s failed deliveries in a row.") % {
        "count": endpoint.consecutive_failures
    }
    # Its other waiting deliveries are not tried again.
    Delivery.objects.filter(endpoint=endpoint, status=Delivery.Status.PENDING).update(
        status=Delivery.Status.FAILED, next_attempt_at=None, error=_("the endpoint is turned off")
    )
    transaction.on_commit(lambda: _tell_admins(endpoint))


def _tell_admins(endpoint: Endpoint) -> None:
    """Mail every active superuser with an address (after the commit)."""
    admins = (
        get_user_model()
        .objects.filter(is_superuser=True, is_active=True)
        .exclude(email="")
        .order_by("pk")
    )
    link = settings.SITE_URL.rstrip("/") + reverse(
        "admin:webhooks_endpoint_change", args=[endpoint.pk]
    )
    subject = _("Webhook endpoint turned off: %(url)s") % {"url": endpoint.url}
    body = _(
        "%(reason)s\n\nNothing more is sent to %(url)s until an administrator turns it on "
        "again: %(link)s\n"
    ) % {"reason": endpoint.disabled_reason, "url": endpoint.url, "link": link}
    for admin in admins:
        try:
            send_mail(subject, body, None, [admin.email])
        except Exception:  # the endpoint is off either way; the admin page says so too
            logger.exception("Mail to admin %s failed: %s", admin.pk, subject)


@transaction.atomic(durable=True)
def delivery_resend(*, delivery: Delivery, user) -> Delivery:
    """Make a delivery wait to be sent again at once ("send again"): its attempts start
    over. The caller queues it for the worker after the commit."""
    if refusal := policy.may_manage(user):
        raise refusal
    delivery = Delivery.objects.select_for_update().select_related("endpoint").get(pk=delivery.pk)
    if not delivery.endpoint.active:
        raise Refused(
            _("The endpoint %(endpoint)s is turned off: turn it on before sending again.")
            % {"endpoint": delivery.endpoint}
        )
    if delivery.status == Delivery.Status.PENDING and delivery.attempts == 0:
        raise Refused(_("This delivery has not been tried yet; it is on its way."))
    delivery.status = Delivery.Status.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = None
    delivery.error = ""
    delivery.save(update_fields=["status", "attempts", "next_attempt_at", "error"])
    return delivery


@transaction.atomic(durable=True)
def endpoint_secret_rotate(*, endpoint: Endpoint, user) -> str:
    """A new secret for the endpoint, returned to be shown once; the old one stops signing."""
    if refusal := policy.may_manage(user):
        raise refusal
    secret = new_secret()
    Endpoint.objects.filter(pk=endpoint.pk).update(secret=secret)
    return secret


@transaction.atomic(durable=True)
def endpoint_turn_on(*, endpoint: Endpoint, user) -> None:
    """Turn an endpoint on again, its count of failures cleared."""
    if refusal := policy.may_manage(user):
        raise refusal
    Endpoint.objects.filter(pk=endpoint.pk).update(
        active=True, consecutive_failures=0, disabled_at=None, disabled_reason=""
    )
