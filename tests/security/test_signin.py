"""Sign-in abuse: lockout on both sign-in pages, admin unlock, the sign-in log, the client
address behind a proxy, and the admin's second factor."""

import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.db.models import F
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from factcheck.security import SLOW_DOWN_MAX, client_ip, sign_in_wait
from tests import factories

LIMIT = 3
SIGN_IN_PAGES = [reverse("login"), reverse("admin:login")]


@pytest.fixture(autouse=True)
def small_limit(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT


def sign_in(url, username, password, *, ip="203.0.113.5", client=None, **extra):
    client = client or Client()
    return client.post(url, {"username": username, "password": password, **extra}, REMOTE_ADDR=ip)


def signed_in(response) -> bool:
    return response.status_code == 302


@pytest.mark.parametrize("url", SIGN_IN_PAGES)
def test_the_right_password_is_refused_after_n_failures(admin_user, url):
    for _ in range(LIMIT - 1):
        assert sign_in(url, admin_user.username, "wrong").status_code == 200
    locked = sign_in(url, admin_user.username, "wrong")
    assert locked.status_code == 429
    again = sign_in(url, admin_user.username, factories.PASSWORD)
    assert again.status_code == 429
    page = again.content.decode()
    assert "Sign-in temporarily locked" in page
    assert 'class="site-header"' in page  # the site's own page, not a bare message
    assert f"{LIMIT} in a row" in page
    # Said as a person says it (it read "for this account from here or for this account"
    # and "0:15:00 (hours:minutes:seconds)").
    assert "from this address" in page and "from here or" not in page
    assert "15 minutes after the last failed attempt" in page
    assert "hours:minutes:seconds" not in page


@pytest.mark.parametrize("url", SIGN_IN_PAGES)
def test_fewer_failures_than_the_limit_still_let_the_right_password_in(admin_user, url):
    for _ in range(LIMIT - 1):
        sign_in(url, admin_user.username, "wrong")
    assert signed_in(sign_in(url, admin_user.username, factories.PASSWORD))


def _older_failures(seconds: int) -> None:
    """Move every recorded failure ``seconds`` into the past (waiting, without sleeping)."""
    AccessFailureLog.objects.update(attempt_time=F("attempt_time") - timedelta(seconds=seconds))


def test_a_stranger_cannot_lock_a_colleague_out(editor):
    """Finding 7 (issue 24): ten wrong passwords from anywhere locked the account for 15
    minutes. Now the pair (username, address) is locked; the username is slowed down."""
    home = "192.0.2.99"
    assert signed_in(sign_in(reverse("login"), editor.username, factories.PASSWORD, ip=home))
    for n in range(LIMIT * 3):
        sign_in(reverse("login"), editor.username, "wrong", ip=f"198.51.100.{n}")
    # From where they signed in before: straight in.
    assert signed_in(sign_in(reverse("login"), editor.username, factories.PASSWORD, ip=home))
    # From a new place: a short wait, never a lockout, and the password is not even checked.
    before = AccessFailureLog.objects.count()
    slowed = sign_in(reverse("login"), editor.username, factories.PASSWORD, ip="192.0.2.50")
    assert slowed.status_code == 200
    assert "wait" in slowed.content.decode() and "try again" in slowed.content.decode()
    assert AccessFailureLog.objects.count() == before  # refusing counts no failure
    _older_failures(SLOW_DOWN_MAX)
    assert signed_in(
        sign_in(reverse("login"), editor.username, factories.PASSWORD, ip="192.0.2.50")
    )


def test_the_slow_down_grows_but_never_past_a_minute(editor, rf):
    request = rf.post("/accounts/login/", REMOTE_ADDR="192.0.2.50")
    waits = []
    for n in range(LIMIT + 8):
        sign_in(reverse("login"), editor.username, "wrong", ip=f"198.51.100.{n}")
        waits.append(sign_in_wait(request, editor.username))
        _older_failures(waits[-1])  # the attacker waits as long as asked
    assert waits[: LIMIT - 1] == [0] * (LIMIT - 1)
    assert waits[LIMIT - 1 : LIMIT + 2] == [1, 2, 4]
    assert max(waits) == SLOW_DOWN_MAX
    # Tried again before the wait is over: refused, and not counted.
    sign_in(reverse("login"), editor.username, "wrong", ip="198.51.100.200")
    assert sign_in_wait(request, editor.username) == SLOW_DOWN_MAX


@pytest.mark.parametrize("url", SIGN_IN_PAGES)
def test_colleagues_behind_one_address_are_not_locked_out(editor, url):
    shared = "198.51.100.7"
    for n in range(LIMIT * 3 - 1):
        sign_in(url, f"nobody{n}", "wrong", ip=shared)
    assert signed_in(sign_in(reverse("login"), editor.username, factories.PASSWORD, ip=shared))


def test_an_address_failing_for_many_usernames_is_slowed_not_blocked(editor):
    shared = "198.51.100.7"
    for n in range(LIMIT * 3):
        sign_in(reverse("login"), f"nobody{n}", "wrong", ip=shared)
    slowed = sign_in(reverse("login"), editor.username, factories.PASSWORD, ip=shared)
    assert slowed.status_code == 200 and "wait" in slowed.content.decode()
    # Another address is not affected.
    assert signed_in(sign_in(reverse("login"), editor.username, factories.PASSWORD, ip="192.0.2.1"))
    _older_failures(SLOW_DOWN_MAX)
    assert signed_in(sign_in(reverse("login"), editor.username, factories.PASSWORD, ip=shared))


def test_an_admin_unlocks_in_the_axes_admin(editor, admin_client):
    for _ in range(LIMIT):
        sign_in(reverse("login"), editor.username, "wrong")
    assert AccessAttempt.objects.filter(username=editor.username).exists()
    changelist = reverse("admin:axes_accessattempt_changelist")
    assert admin_client.get(changelist).status_code == 200
    attempts = AccessAttempt.objects.filter(username=editor.username)
    response = admin_client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [a.pk for a in attempts], "post": "yes"},
    )
    assert response.status_code == 302
    assert signed_in(sign_in(reverse("login"), editor.username, factories.PASSWORD))


def test_sign_ins_and_failures_are_logged(editor, caplog):
    with caplog.at_level(logging.INFO, logger="factcheck.security"):
        sign_in(reverse("login"), editor.username, "wrong", ip="198.51.100.20")
        sign_in(reverse("login"), editor.username, factories.PASSWORD, ip="198.51.100.20")
    lines = [r.getMessage() for r in caplog.records if r.name == "factcheck.security"]
    assert f"sign-in failed: user='{editor.username}' ip=198.51.100.20" in lines
    assert f"sign-in succeeded: user='{editor.username}' ip=198.51.100.20" in lines


def test_a_lockout_is_logged(editor, caplog):
    with caplog.at_level(logging.INFO, logger="factcheck.security"):
        for _ in range(LIMIT):
            sign_in(reverse("login"), editor.username, "wrong", ip="198.51.100.30")
    assert any(r.getMessage().startswith("sign-in locked out") for r in caplog.records), [
        r.getMessage() for r in caplog.records
    ]


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "1.1.1.1", "10.0.0.2"),  # no proxy trusted: the header is anyone's to write
        (1, "1.1.1.1", "1.1.1.1"),
        (1, "6.6.6.6, 1.1.1.1", "1.1.1.1"),  # the client wrote 6.6.6.6 itself
        (2, "1.1.1.1, 172.16.0.9", "1.1.1.1"),
        (2, "", "10.0.0.2"),  # fewer hops than proxies: the connection's address
    ],
)
def test_the_client_address_behind_proxies(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


# ------------------------------------------------------------------------- second factor


def code_for(device) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@override_settings(ADMIN_REQUIRE_OTP=True)
def test_a_superuser_without_an_authenticator_is_told_how_to_get_one(admin_user):
    response = sign_in(reverse("admin:login"), admin_user.username, factories.PASSWORD)
    assert response.status_code == 200
    assert "add_totp_device" in response.content.decode()


@override_settings(ADMIN_REQUIRE_OTP=True)
def test_a_superuser_signs_in_to_the_admin_with_a_code(admin_user):
    device = TOTPDevice.objects.create(user=admin_user, name="phone", confirmed=True)
    client = Client()
    without = sign_in(
        reverse("admin:login"), admin_user.username, factories.PASSWORD, client=client
    )
    assert without.status_code == 200
    wrong = sign_in(
        reverse("admin:login"),
        admin_user.username,
        factories.PASSWORD,
        client=client,
        otp_token="000000",
    )
    assert wrong.status_code == 200
    device.refresh_from_db()
    device.throttle_reset()  # django-otp makes the next try wait after a wrong code
    right = sign_in(
        reverse("admin:login"),
        admin_user.username,
        factories.PASSWORD,
        client=client,
        otp_token=code_for(device),
    )
    assert signed_in(right)
    assert client.get(reverse("admin:index")).status_code == 200


@override_settings(ADMIN_REQUIRE_OTP=True)
def test_a_superuser_signed_in_on_the_desk_gets_no_admin_without_a_code(admin_user):
    TOTPDevice.objects.create(user=admin_user, name="phone", confirmed=True)
    client = Client()
    assert signed_in(
        sign_in(reverse("login"), admin_user.username, factories.PASSWORD, client=client)
    )
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


@override_settings(ADMIN_REQUIRE_OTP=False)
def test_without_the_requirement_the_admin_needs_no_code(admin_user):
    # `make run` (DEBUG=1): the demo admin signs in with the printed password alone.
    client = Client()
    assert signed_in(
        sign_in(reverse("admin:login"), admin_user.username, factories.PASSWORD, client=client)
    )
    assert client.get(reverse("admin:index")).status_code == 200


@override_settings(ADMIN_REQUIRE_OTP=False)
def test_staff_with_an_authenticator_always_give_a_code(admin_user):
    device = TOTPDevice.objects.create(user=admin_user, name="phone", confirmed=True)
    assert not signed_in(sign_in(reverse("admin:login"), admin_user.username, factories.PASSWORD))
    assert signed_in(
        sign_in(
            reverse("admin:login"),
            admin_user.username,
            factories.PASSWORD,
            otp_token=code_for(device),
        )
    )


def test_add_totp_device_prints_the_authenticator_address(admin_user):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("add_totp_device", admin_user.username, stdout=out)
    assert "otpauth://totp/" in out.getvalue()
    assert TOTPDevice.objects.filter(user=admin_user, confirmed=True).count() == 1


@override_settings(ADMIN_REQUIRE_OTP=False)
def test_staff_with_an_authenticator_signed_in_on_the_desk_give_a_code_for_the_admin(admin_user):
    TOTPDevice.objects.create(user=admin_user, name="phone", confirmed=True)
    client = Client()
    assert signed_in(
        sign_in(reverse("login"), admin_user.username, factories.PASSWORD, client=client)
    )
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]
