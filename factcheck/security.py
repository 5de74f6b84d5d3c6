"""Sign-in records, the client address and the slow-down (README, "Sign-in protection").

django-axes locks a (username, address) pair after AXES_FAILURE_LIMIT failures: a stranger
elsewhere cannot lock a colleague out, nor one person's typos the whole newsroom behind its
one address. A username (or an address) that fails that often from anywhere is slowed down
instead (``sign_in_wait``): each further attempt waits twice as long as the one before, at
most SLOW_DOWN_MAX seconds, and an address the account signed in from before is never
slowed.

Every sign-in, failed sign-in and lockout is logged to the ``factcheck.security`` logger with
the username and client address; django-axes also keeps them in the admin (Axes › Access
attempts, Access logs, Access failures).
"""

import logging
import math
import time

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models import Count, Max
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import ngettext

logger = logging.getLogger("factcheck.security")


def client_ip(request) -> str:
    """The client's address: the connection's, or behind TRUSTED_PROXY_COUNT proxies the
    address the outermost trusted proxy saw (counted from the right of X-Forwarded-For, which
    the client can write to only on the left)."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [h for h in hops if h]
    return hops[-count] if len(hops) >= count else remote


SLOW_DOWN_MAX = 60  # seconds
# An address fails for several usernames before it is slowed (colleagues behind one address).
ADDRESS_FACTOR = 3


def sign_in_wait(request, username: str) -> int:
    """How many seconds this sign-in must wait before the password is even checked; 0: go
    ahead. Refused attempts are not counted as failures."""
    from axes.models import AccessFailureLog, AccessLog

    ip = client_ip(request)
    if username and AccessLog.objects.filter(username=username, ip_address=ip).exists():
        return 0  # signed in from here before
    now = timezone.now()
    recent = AccessFailureLog.objects.filter(attempt_time__gte=now - settings.AXES_COOLOFF_TIME)
    limit = settings.AXES_FAILURE_LIMIT
    wait = 0.0
    for failures, threshold in (
        # Failures of this pair are axes' to lock; the others' slow it down.
        (recent.filter(username=username).exclude(ip_address=ip), limit),
        (recent.filter(ip_address=ip).exclude(username=username), limit * ADDRESS_FACTOR),
    ):
        found = failures.aggregate(n=Count("pk"), last=Max("attempt_time"))
        if found["n"] >= threshold:
            delay = min(2 ** (found["n"] - threshold), SLOW_DOWN_MAX)
            wait = max(wait, (found["last"] - now).total_seconds() + delay)
    return math.ceil(wait) if wait > 0 else 0


def slow_down_message(wait: int) -> str:
    return ngettext(
        "Too many wrong passwords for this account, or from this address, in the last "
        "minutes: wait {wait} second and try again. From a device you signed in with before "
        "there is no wait.",
        "Too many wrong passwords for this account, or from this address, in the last "
        "minutes: wait {wait} seconds and try again. From a device you signed in with before "
        "there is no wait.",
        wait,
    ).format(wait=wait)


def _who(request, username) -> tuple[str, str]:
    return repr(username or ""), client_ip(request) if request is not None else "?"


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    from factcheck.middleware import RENEWED_KEY

    if request is not None and hasattr(request, "session"):
        request.session[RENEWED_KEY] = int(time.time())
    name, ip = _who(request, user.get_username())
    logger.info("sign-in succeeded: user=%s ip=%s", name, ip)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    name, ip = _who(request, credentials.get("username"))
    logger.warning("sign-in failed: user=%s ip=%s", name, ip)


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs):
    logger.warning("sign-in locked out: user=%s ip=%s", repr(username or ""), ip_address)
