"""Sign-in records and the client address (README, "Sign-in protection").

Every sign-in, failed sign-in and lockout is logged to the ``factcheck.security`` logger with
the username and client address; django-axes also keeps them in the admin (Axes › Access
attempts, Access logs, Access failures).
"""

import logging
import time

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

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
