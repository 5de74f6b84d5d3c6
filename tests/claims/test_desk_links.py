"""A desk page offers a person only the links they may follow: none leads to a refusal
(403) for the editor or reviewer who sees it."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.claims.helpers import publish

pytestmark = pytest.mark.django_db

HREF = re.compile(r'<a [^>]*href="(/[^"#]*)')


def _refused_links(client: Client, page: str) -> list[str]:
    html = client.get(page).content.decode()
    links = {href.replace("&amp;", "&") for href in HREF.findall(html)}
    assert links, page
    return sorted(href for href in links if client.get(href).status_code == 403)


def test_no_desk_link_leads_an_editor_or_a_reviewer_to_a_refusal(editor_client, reviewer):
    source = publish(factories.ClaimFactory(statement="The dam burst on Monday")).claim
    target = publish(factories.ClaimFactory(statement="The dam burst on Monday night")).claim
    proposer = Client()
    proposer.force_login(factories.ReviewerFactory())
    proposed = proposer.post(
        reverse("claim_merge", args=[source.pk]), {"into": target.pk, "action": "propose"}
    )
    assert proposed.status_code == 302
    reviewer_client = Client()
    reviewer_client.force_login(reviewer)
    claim_page = reverse("claim_detail", args=[source.pk])
    for client in (editor_client, reviewer_client):
        for page in (reverse("desk"), claim_page):
            assert _refused_links(client, page) == [], page
    # The reviewer is offered the merge's confirmation; the editor is told it waits for one.
    merge = f"{reverse('claim_merge', args=[source.pk])}?into={target.pk}"
    assert f'href="{merge}"' in reviewer_client.get(claim_page).content.decode()
    editor_page = editor_client.get(claim_page).content.decode()
    assert "until a second reviewer confirms the merge" in editor_page
    assert reverse("claim_merge", args=[source.pk]) not in editor_page
