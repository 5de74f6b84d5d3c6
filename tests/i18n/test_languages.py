"""Which language a page is in (docs/architecture.md, "Languages"): on the desk the person's
preference, else the browser's Accept-Language, else LANGUAGE_CODE; on the public site the
address alone. And what follows from it: caches keyed and varied per language, the sitemap's
alternates, hreflang and the switcher, dates, pages and wordings per language."""

import json
import re
from datetime import date

import pytest
from django.test import Client
from django.utils import translation
from django.utils.formats import date_format

from claims.models import ClaimWording, NotificationPreference, Page
from tests import factories
from tests.claims.helpers import jsonld, publish
from tests.i18n.world import STATEMENT, WORDING_UK, cyrillic_world

pytestmark = pytest.mark.django_db


def _lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def _signed_in(user, **headers) -> Client:
    client = Client(headers=headers)
    client.force_login(user)
    return client


# --- the desk: preference, then Accept-Language, then LANGUAGE_CODE ---------------------------


def test_the_desk_without_preference_or_browser_language_is_in_language_code(editor, settings):
    assert _lang(_signed_in(editor).get("/desk/")) == "en"
    settings.LANGUAGE_CODE = "uk"
    response = _signed_in(editor).get("/desk/")
    assert _lang(response) == "uk" and response["Content-Language"] == "uk"


def test_the_browsers_language_beats_language_code(editor):
    response = _signed_in(editor, accept_language="uk,en;q=0.5").get("/desk/")
    assert _lang(response) == "uk"
    assert "Accept-Language" in response["Vary"]  # the desk varies by it (and is no-store)


def test_the_persons_preference_beats_the_browsers_language(editor):
    NotificationPreference.objects.create(user=editor, language="en")
    assert _lang(_signed_in(editor, accept_language="uk").get("/desk/")) == "en"
    NotificationPreference.objects.filter(user=editor).update(language="uk")
    assert _lang(_signed_in(editor, accept_language="en").get("/desk/")) == "uk"


def test_the_preference_is_read_once_at_sign_in_not_on_every_page(editor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    NotificationPreference.objects.create(user=editor, language="uk")
    client = _signed_in(editor)
    with CaptureQueriesContext(connection) as counted:
        assert _lang(client.get("/desk/")) == "uk"
    assert not any("notificationpreference" in q["sql"] for q in counted.captured_queries)


def test_saving_the_preference_changes_the_desks_language_at_once(editor):
    client = _signed_in(editor, accept_language="en")
    response = client.post("/desk/preferences/", {"email": "on", "language": "uk"}, follow=True)
    assert _lang(response) == "uk"
    assert NotificationPreference.objects.get(user=editor).language == "uk"
    # Back to the browser's choice.
    response = client.post("/desk/preferences/", {"email": "on", "language": ""}, follow=True)
    assert _lang(response) == "en"
    assert NotificationPreference.objects.get(user=editor).language == ""


def test_a_language_the_site_does_not_have_is_refused_and_changes_nothing(editor):
    client = _signed_in(editor)
    response = client.post("/desk/preferences/", {"email": "on", "language": "xx"})
    assert response.status_code in (200, 422)
    assert "xx" in response.content.decode()  # the form says which choice is not valid
    assert not NotificationPreference.objects.filter(user=editor, language="xx").exists()


def test_the_preferences_page_offers_the_sites_languages(editor):
    html = _signed_in(editor).get("/desk/preferences/").content.decode()
    assert 'name="language"' in html and 'value="uk"' in html and "Українська" in html


# --- the public site: the address decides -----------------------------------------------------


def test_the_address_decides_the_public_pages_language_whoever_asks(editor):
    verdict = publish()
    NotificationPreference.objects.create(user=editor, language="uk")
    slug = verdict.claim.slug
    assert _lang(Client(headers={"accept-language": "uk"}).get(f"/claims/{slug}/")) == "en"
    assert _lang(_signed_in(editor).get(f"/claims/{slug}/")) == "en"
    assert _lang(Client().get(f"/uk/claims/{slug}/")) == "uk"
    assert _lang(Client().get("/uk/")) == "uk"
    # The API and the data feed stay unprefixed.
    assert Client().get("/uk/api/v1/fact-checks").status_code == 404
    assert Client().get("/api/v1/fact-checks").status_code == 200
    assert Client().get("/uk/claims/feed.jsonld").status_code == 404


def test_the_default_language_is_unprefixed_whichever_it_is(settings):
    verdict = publish()
    settings.LANGUAGE_CODE = "uk"
    assert _lang(Client().get(f"/claims/{verdict.claim.slug}/")) == "uk"


@pytest.mark.parametrize("path", ["/", "/uk/", "/about/", "/uk/about/", "/claims/feed/"])
def test_anonymous_public_pages_vary_by_neither_cookie_nor_browser_language(path):
    publish()
    response = Client(headers={"accept-language": "uk"}).get(path)
    assert response.status_code == 200
    vary = response.get("Vary", "")
    assert "Cookie" not in vary and "Accept-Language" not in vary
    assert "public" in response["Cache-Control"]


def test_each_language_has_its_own_etag_and_server_copy(django_assert_num_queries):
    slug = publish().claim.slug
    english, ukrainian = Client().get(f"/claims/{slug}/"), Client().get(f"/uk/claims/{slug}/")
    assert english["ETag"] != ukrainian["ETag"]
    # Both kept by the server: answered again with one query each, in their own language.
    for path, language in ((f"/uk/claims/{slug}/", "uk"), (f"/claims/{slug}/", "en")):
        with django_assert_num_queries(1):
            response = Client().get(path)
        assert _lang(response) == language
    # A conditional request with the other language's ETag is not a 304.
    assert (
        Client().get(f"/uk/claims/{slug}/", headers={"if-none-match": english["ETag"]}).status_code
        == 200
    )


def test_the_about_pages_etag_names_its_language():
    Page.objects.create(slug="about", language="uk", title="Про нас", body="Текст.")
    assert Client().get("/about/")["ETag"] != Client().get("/uk/about/")["ETag"]


# --- hreflang, the switcher, the sitemap ------------------------------------------------------


def test_every_public_page_names_its_other_languages_and_the_default():
    slug = publish().claim.slug
    for path in ("/", f"/claims/{slug}/", "/about/", f"/uk/claims/{slug}/"):
        html = Client().get(path).content.decode()
        links = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))
        english_path = path.removeprefix("/uk")
        assert links == {
            "en": f"http://testserver{english_path}",
            "uk": f"http://testserver/uk{english_path}",
            "x-default": f"http://testserver{english_path}",
        }, path


def test_the_switcher_leads_to_the_same_fact_check_in_the_other_language():
    slug = publish().claim.slug
    html = Client().get(f"/claims/{slug}/").content.decode()
    assert re.search(
        rf'<a class="language-switch" href="http://testserver/uk/claims/{slug}/" '
        r'hreflang="uk" lang="uk">Українська</a>',
        html,
    )
    html = Client().get(f"/uk/claims/{slug}/?utm_source=x").content.decode()
    assert f'href="http://testserver/claims/{slug}/" hreflang="en" lang="en">English</a>' in html


def test_the_switcher_keeps_the_pages_query_and_a_missing_page_has_no_alternates():
    """The other language's address is the page's route reversed in it, with the same query
    (a search stays the same search, non-ASCII words encoded); a 404 names none."""
    publish()
    html = Client().get("/", {"q": "путін трамп", "page": "1"}).content.decode()
    query = "?q=%D0%BF%D1%83%D1%82%D1%96%D0%BD+%D1%82%D1%80%D0%B0%D0%BC%D0%BF&amp;page=1"
    assert f'<a class="language-switch" href="http://testserver/uk/{query}"' in html
    missing = Client().get("/no-such-page/").content.decode()
    assert 'hreflang="' not in missing and "language-switch" not in missing


def test_desk_pages_have_no_hreflang_alternates(editor):
    html = _signed_in(editor).get("/desk/").content.decode()
    assert 'hreflang="' not in html


def test_the_sitemap_lists_each_language_with_its_alternates():
    slug = publish().claim.slug
    xml = Client().get("/sitemap-claims.xml").content.decode()
    assert f"<loc>http://testserver/claims/{slug}/</loc>" in xml
    assert f"<loc>http://testserver/uk/claims/{slug}/</loc>" in xml
    entry = xml.split(f"<loc>http://testserver/uk/claims/{slug}/</loc>")[1].split("</url>")[0]
    assert re.findall(r'hreflang="([^"]+)" href="([^"]+)"', entry) == [
        ("en", f"http://testserver/claims/{slug}/"),
        ("uk", f"http://testserver/uk/claims/{slug}/"),
        ("x-default", f"http://testserver/claims/{slug}/"),
    ]
    home = Client().get("/sitemap-home.xml").content.decode()
    assert "<loc>http://testserver/uk/about/</loc>" in home


# --- formats ----------------------------------------------------------------------------------


def test_dates_in_ukrainian_have_the_month_in_the_genitive():
    with translation.override("uk"):
        assert date_format(date(2026, 12, 4)) == "4 грудня 2026 р."
    with translation.override("en"):
        assert date_format(date(2026, 12, 4)) == "4 December 2026"


def test_the_ukrainian_fact_check_dates_in_ukrainian_and_says_its_language_in_json_ld():
    world = cyrillic_world()
    response = Client().get(f"/uk/claims/{world.claim.slug}/")
    html = response.content.decode()
    day = world.revision.first_published_at
    with translation.override("uk"):
        assert date_format(day, "DATETIME_FORMAT") in html
    assert re.search(
        r"\d{1,2} (січня|лютого|березня|квітня|травня|червня|липня|серпня|вересня|жовтня"
        r"|листопада|грудня) \d{4} р\.",
        html,
    )
    assert jsonld(response)[0]["inLanguage"] == "uk"
    assert jsonld(Client().get(f"/claims/{world.claim.slug}/"))[0]["inLanguage"] == "en"


def test_relative_times_are_in_the_desks_language():
    from django.contrib.humanize.templatetags.humanize import naturaltime
    from django.utils import timezone
    from django.utils.timesince import timesince

    moment = timezone.now() - timezone.timedelta(days=3)
    with translation.override("uk"):
        assert timesince(moment) == "3\xa0дні"
        assert "тому" in naturaltime(moment)


# --- content per language ---------------------------------------------------------------------


def test_an_about_page_in_the_readers_language_else_the_default_ones():
    html = Client().get("/uk/about/").content.decode()
    assert '<article class="public-page" lang="en">' in html  # no Ukrainian page yet
    assert "не написано вашою мовою" in html
    Page.objects.create(slug="about", language="uk", title="Про нас", body="Ми — редакція.")
    html = Client().get("/uk/about/").content.decode()
    assert "<h1>Про нас</h1>" in html and "Ми — редакція." in html
    assert '<article class="public-page">' in html
    assert "<h1>Про нас</h1>" not in Client().get("/about/").content.decode()


def test_one_page_per_slug_and_language():
    from django.db import IntegrityError, transaction

    Page.objects.create(slug="about", language="uk", title="Про нас", body="Текст.")
    with pytest.raises(IntegrityError), transaction.atomic():
        Page.objects.create(slug="about", language="uk", title="Ще раз", body="Текст.")


def test_the_fact_check_shows_the_wording_in_the_readers_language():
    world = cyrillic_world()
    html = Client().get(f"/uk/claims/{world.claim.slug}/").content.decode()
    assert f'<h1 class="claim-statement">{WORDING_UK}</h1>' in html
    assert "мовою оригіналу" not in html
    # In English there is no English wording: the statement, said to be the original.
    html = Client().get(f"/claims/{world.claim.slug}/").content.decode()
    assert f'<h1 class="claim-statement" lang="uk">{STATEMENT}</h1>' in html
    assert "shown in the original language" in html


def test_a_wording_added_after_publication_shows_from_the_next_publication():
    world = cyrillic_world(wording=False)
    html = Client().get(f"/uk/claims/{world.claim.slug}/").content.decode()
    assert f">{STATEMENT}</h1>" in html
    ClaimWording.objects.create(claim=world.claim, language="en", text="Putin congratulated Trump")
    assert (
        "Putin congratulated Trump</h1>"
        not in Client().get(f"/claims/{world.claim.slug}/").content.decode()
    )


def test_the_feed_and_the_oembed_card_follow_the_address():
    slug = publish().claim.slug
    feed = Client().get("/uk/claims/feed/").content.decode()
    assert 'xml:lang="uk"' in feed and "фактчеки" in feed
    answer = json.loads(
        Client().get("/oembed", {"url": f"http://testserver/uk/claims/{slug}/"}).content
    )
    assert f"/uk/claims/{slug}/embed/" in answer["html"] and "Фактчек:" in answer["html"]


def test_the_share_image_is_drawn_per_language():
    slug = publish().claim.slug
    english = Client().get(f"/claims/{slug}/share.png")
    ukrainian = Client().get(f"/uk/claims/{slug}/share.png")
    assert english.status_code == ukrainian.status_code == 200
    assert english.content != ukrainian.content
    html = Client().get(f"/uk/claims/{slug}/").content.decode()
    assert f'content="http://testserver/uk/claims/{slug}/share.png' in html


def _add_page(client, **fields):
    from django.urls import reverse

    data = {"slug": "about", "language": "uk", "title": "", "description": "", "body": ""}
    return client.post(reverse("admin:claims_page_add"), {**data, **fields})


def test_admins_write_each_language_of_a_page_in_the_admin(admin_client):
    response = _add_page(admin_client, title="Про нас", body="## Команда\n\nНас *троє*.")
    assert response.status_code == 302
    html = Client().get("/uk/about/").content.decode()
    assert "<h1>Про нас</h1>" in html and "<em>троє</em>" in html
    assert "<h1>Про нас</h1>" not in Client().get("/about/").content.decode()
    # A language the site does not have is refused, and nothing is stored.
    assert _add_page(admin_client, language="xx", title="X", body="X").status_code == 200
    assert not Page.objects.filter(language="xx").exists()


def test_the_rating_scale_in_a_new_language_waits_for_a_second_administrator():
    from django.urls import reverse

    from claims.models import PageRevision

    author, second = factories.AdminFactory(), factories.AdminFactory()
    response = _add_page(
        _signed_in(author), slug="ratings", title="Оцінки", body="## Правда\n\nЯк нам заманеться."
    )
    assert response.status_code == 302
    assert "заманеться" not in Client().get("/uk/ratings/").content.decode()
    revision = PageRevision.objects.get(page__slug="ratings", page__language="uk")
    assert revision.approved_at is None
    action = {"action": "approve", "_selected_action": [revision.pk]}
    _signed_in(author).post(reverse("admin:claims_pagerevision_changelist"), action)
    assert "заманеться" not in Client().get("/uk/ratings/").content.decode()
    _signed_in(second).post(reverse("admin:claims_pagerevision_changelist"), action)
    assert "заманеться" in Client().get("/uk/ratings/").content.decode()
