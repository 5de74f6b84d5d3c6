"""Webhooks in the admin: registering an endpoint (the address checked, the secret shown
once), rotating its secret, the delivery log's "send again", turned-off endpoints flagged,
and the one permission rule at every door."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.test import Client

from factcheck.errors import NotAllowed
from tests import factories
from webhooks import services
from webhooks.models import Delivery, Endpoint

ADD = "/admin/webhooks/endpoint/add/"
ENDPOINTS = "/admin/webhooks/endpoint/"
DELIVERIES = "/admin/webhooks/delivery/"


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def add(client, url, **fields):
    data = {
        "url": url,
        "description": "Partner newsroom",
        "events": ["fact_check.published", "fact_check.merged"],
        "format": "standard",
        "active": "on",
        **fields,
    }
    return client.post(ADD, data)


def test_an_admin_registers_an_endpoint_and_sees_its_secret_once(admin_client, receiver):
    response = add(admin_client, receiver.url())
    assert response.status_code == 302
    endpoint = Endpoint.objects.get()
    assert endpoint.events == ["fact_check.published", "fact_check.merged"]
    assert re.fullmatch(r"whsec_[A-Za-z0-9+/]{43}=", endpoint.secret)
    [shown] = [m for m in messages_of(response) if "shown only now" in m]
    assert endpoint.secret in shown
    assert endpoint.secret in admin_client.get(response.url).content.decode()  # the next page
    page = admin_client.get(f"{ENDPOINTS}{endpoint.pk}/change/").content.decode()
    assert endpoint.secret not in page and endpoint.secret_hint in page
    assert endpoint.secret not in admin_client.get(ENDPOINTS).content.decode()


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.org/hook", "only http:// and https:// addresses"),
        ("http://127.0.0.1:9/hook", "127.0.0.1 is a loopback address"),
        ("http://localhost:9/hook", "is a loopback address"),
        ("http://10.1.2.3/hook", "10.1.2.3 is a private address"),
        ("https://user:pw@example.org/hook", "addresses with a user name or password"),
    ],
)
def test_an_address_webhooks_cannot_reach_is_refused_with_the_reason(
    admin_client, settings, url, reason
):
    settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = False
    response = add(admin_client, url)
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.errors["url"])
    assert reason in errors
    assert not Endpoint.objects.exists()


def test_no_event_chosen_is_refused(admin_client, receiver):
    response = add(admin_client, receiver.url(), events=[])
    assert response.status_code == 200 and not Endpoint.objects.exists()


def test_rotating_the_secret_shows_the_new_one_once(admin_client, endpoint, receiver):
    old = endpoint.secret
    response = admin_client.post(
        ENDPOINTS, {"action": "rotate_secret", "_selected_action": [endpoint.pk]}
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.secret.startswith("whsec_")
    assert any(endpoint.secret in m for m in messages_of(response))


def _failed(endpoint) -> Delivery:
    return Delivery.objects.create(
        endpoint=endpoint,
        event="fact_check.published",
        payload={"type": "fact_check.published", "timestamp": "", "data": {"id": 1}},
        status=Delivery.Status.FAILED,
        attempts=7,
        error="the server answered 500",
    )


def test_send_again_from_the_delivery_log(
    admin_client, endpoint, receiver, django_capture_on_commit_callbacks
):
    delivery = _failed(endpoint)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            DELIVERIES, {"action": "send_again", "_selected_action": [delivery.pk]}
        )
    assert response.status_code == 302
    assert "1 delivery queued to be sent again." in messages_of(response)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("sent", 1, 200)
    assert delivery.error == ""
    [request] = receiver.received
    assert request.headers["webhook-id"] == delivery.message_id
    log = admin_client.get(DELIVERIES).content.decode()
    assert "Delivered" in log and "fact_check.published" in log


def test_send_again_to_a_turned_off_endpoint_is_refused(admin_client, endpoint, receiver):
    delivery = _failed(endpoint)
    Endpoint.objects.filter(pk=endpoint.pk).update(active=False)
    response = admin_client.post(
        DELIVERIES, {"action": "send_again", "_selected_action": [delivery.pk]}
    )
    assert any("is turned off: turn it on before sending again" in m for m in messages_of(response))
    delivery.refresh_from_db()
    assert delivery.status == "failed" and receiver.received == []


def test_a_turned_off_endpoint_is_flagged_and_turned_on_again(admin_client, endpoint):
    Endpoint.objects.filter(pk=endpoint.pk).update(
        active=False,
        consecutive_failures=5,
        disabled_at="2026-01-01T00:00:00Z",
        disabled_reason="Turned off after 5 failed deliveries in a row.",
    )
    page = admin_client.get(ENDPOINTS)
    assert any(
        "is turned off: Turned off after 5 failed deliveries" in m for m in messages_of(page)
    )
    assert 'class="errornote"' in page.content.decode()
    log = admin_client.get(DELIVERIES)
    assert any("is turned off" in m for m in messages_of(log))
    admin_client.post(ENDPOINTS, {"action": "turn_on", "_selected_action": [endpoint.pk]})
    endpoint.refresh_from_db()
    assert endpoint.active and endpoint.consecutive_failures == 0 and not endpoint.disabled_at


def test_staff_without_the_permission_reach_no_webhook_page_nor_service(endpoint):
    clerk = factories.UserFactory(is_staff=True)
    clerk.user_permissions.add(
        Permission.objects.get(codename="view_delivery"),
        Permission.objects.get(codename="view_endpoint"),
    )
    client = Client()
    client.force_login(clerk)
    delivery = _failed(endpoint)
    for url in (ENDPOINTS, DELIVERIES, ADD, f"{DELIVERIES}{delivery.pk}/change/"):
        assert client.get(url).status_code == 403, url
    response = client.post(DELIVERIES, {"action": "send_again", "_selected_action": [delivery.pk]})
    assert response.status_code == 403
    with pytest.raises(NotAllowed):
        services.delivery_resend(delivery=delivery, user=clerk)
    with pytest.raises(NotAllowed):
        services.endpoint_secret_rotate(endpoint=endpoint, user=clerk)
    delivery.refresh_from_db()
    assert delivery.status == "failed"

    clerk.user_permissions.add(Permission.objects.get(codename="change_endpoint"))
    clerk = type(clerk).objects.get(pk=clerk.pk)  # permissions are cached on the instance
    assert services.delivery_resend(delivery=delivery, user=clerk).status == "pending"
