"""One way to answer a refusal (docs/architecture.md, "Errors"), for every view.

A refusal — a service's ``Refused``, a form's ``ValidationError`` — is answered with its
status (``status_of``: 403 not allowed, 409 stale, 422 bad input), with what the person
typed kept, and with the message where they are looking: the form they submitted (htmx
swaps the answer into it; ``swap``/``target`` move it through django-htmx's ``reswap`` and
``retarget``), or, for a plain form posted from another page, that page with the message
on top (``refused_back``: a redirect cannot carry a status, the message carries the
refusal).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django_htmx.http import reswap, retarget

from factcheck.errors import status_of


def refused(
    request,
    template_name: str,
    context: dict,
    *,
    error: ValidationError | None,
    swap: str | None = None,
    target: str | None = None,
    on_top: bool = False,
) -> HttpResponse:
    """``template_name`` drawn with ``context`` (which keeps what was typed and says why)
    and the status of ``error`` (None: a form that did not validate, 422, its errors on it);
    for htmx, swapped with ``swap`` into ``target`` when given
    (HX-Reswap, HX-Retarget). ``on_top``: the message also on top of the page (Django's
    messages), for a form with no place of its own for it."""
    if on_top and error is not None:
        messages.error(request, " ".join(error.messages))
    response = render(request, template_name, context, status=status_of(error))
    if request.htmx:
        if target is not None:
            response = retarget(response, target)
        if swap is not None:
            response = reswap(response, swap)
    return response


def refused_back(request, error: ValidationError, to, *args, message: str = "", **kwargs):
    """A refusal of a plain form posted from another page (``to``: a model, URL or URL name,
    as for ``redirect``): back there, with the message on top of it (``message`` when the
    refusal's own needs more around it)."""
    messages.error(request, message or " ".join(error.messages))
    return redirect(to, *args, **kwargs)
