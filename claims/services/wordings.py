"""A claim's wordings in other languages (``ClaimWording``), kept in the claim's wording
history (``ClaimChange`` with its ``language``). The claim radar rescans the archive for a
claim whose wording changed (radar.signals)."""

import re

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from claims.models import Claim, ClaimChange, ClaimWording, normalize_statement
from claims.services.claims import clean_statement
from factcheck.errors import Refused
from factcheck.roles import User

_LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*\Z")


def clean_language(language: str) -> str:
    language = (language or "").strip()
    if not _LANGUAGE.match(language):
        raise Refused(_('Give the language as a code such as "uk" or "ru".'))
    return language


@transaction.atomic(durable=True)
def claim_wording_set(*, claim: Claim, user: User, language: str, text: str) -> ClaimWording | None:
    """Give ``claim`` its wording in ``language`` (a new one, or a change); empty ``text``
    removes it. Nothing changes when the text is the same. Returns the wording (None when
    removed)."""
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    language = clean_language(language)
    text = normalize_statement(text)
    wording = ClaimWording.objects.filter(claim=claim, language=language).first()
    before = wording.text if wording else ""
    if text:
        text = clean_statement(text)
    elif wording is None:
        raise Refused(_("Type the claim's wording in that language."))
    if text == before:
        return wording
    ClaimChange.objects.create(
        claim=claim,
        user=user,
        language=language,
        statement_before=before,
        statement_after=text,
        claimant_before=claim.claimant,
        claimant_after=claim.claimant,
    )
    if not text:
        wording.delete()
        return None
    if wording is None:
        wording = ClaimWording(claim=claim, language=language)
    wording.text = text
    wording.save()
    return wording
