"""The sitemap: an index (/sitemap.xml) of sections, each in pages of at most ``LIMIT``
addresses (/sitemap-<section>.xml?p=N): the home page and the pages about the desk, and
every published fact check (latest revisions), newest first. Each page is one query for its
rows (the fact checks were counted for its ETag), and no ``reverse()`` per address, so any
page is cheap to draw whatever the archive (docs/architecture.md, "Public pages and the cache")."""

from datetime import datetime
from html import escape  # Django's is the same, five times slower (a string per address)

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import CharField, Max
from django.db.models.functions import Cast, TruncDate
from django.urls import reverse
from django.utils import timezone, translation

from public.cards import fact_check_address
from public.selectors.pages import NEWEST_FIRST, as_aware, current_revisions

# The protocol allows 50,000 addresses a file. A page's cost grows with its addresses (each
# with its hreflang alternates: about 430 bytes in two languages), so pages are kept short:
# 1,000 addresses is about 430 KB, drawn in a few milliseconds, well under the server
# cache's size limit; crawlers fetch the pages the index lists.
LIMIT = 1000


class _PerLanguage:
    """``items`` once per language, as Django's i18n sitemap lists them ((item, language)
    pairs, item by item), but read a page at a time: counting is the items' count times the
    languages, and a slice reads only the items it covers (Django's own ``_items`` reads
    them all)."""

    def __init__(self, items, languages, known: int | None = None):
        self.items, self.languages, self.known = items, list(languages), known

    def count(self) -> int:
        n = self.known
        if n is None:
            n = self.items.count() if hasattr(self.items, "model") else len(self.items)
        return n * len(self.languages)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice):
        per = len(self.languages)
        first, last = index.start // per, -(-index.stop // per)
        pairs = [(item, code) for item in self.items[first:last] for code in self.languages]
        skip = index.start - first * per
        return pairs[skip : skip + index.stop - index.start]


class LanguageSitemap(Sitemap):
    """Every address in each language of the site, with its alternates (hreflang, and
    x-default: the default language's); the public pages are one language per address
    (factcheck/urls.py, i18n_patterns)."""

    i18n = True
    alternates = True
    x_default = True
    # How many items the section lists when the caller has counted them already (a page of
    # fact checks: its ETag counted the published ones, public.views.pages.sitemap_page).
    item_count: int | None = None

    @property
    def paginator(self):
        items = _PerLanguage(self.items(), self._languages(), self.item_count)
        return Paginator(items, self.limit)

    def _location(self, item, force_lang_code=None):
        # Django's activates the language around location() for each address and each of its
        # alternates: location_in lets a section skip that (a page of 1,000 addresses asks
        # for 4,000 locations).
        obj, language = item
        return self.location_in(obj, force_lang_code or language)

    def location_in(self, obj, language: str) -> str:
        with translation.override(language):
            return self.location(obj)

    def url_elements(self, *, page, site, protocol) -> list[str]:
        """The ``<url>`` elements of ``page``: what Django's sitemap template writes for
        ``get_urls`` (tests/claims/test_sitemap_index.py compares the two), without the
        template, whose loop costs a millisecond per five addresses. Raises EmptyPage or
        PageNotAnInteger for a page that is not there."""
        parts = []
        for url in self.get_urls(page=page, site=site, protocol=protocol):
            parts.append(f"<url><loc>{escape(url['location'])}</loc>")
            if url["lastmod"]:
                parts.append(f"<lastmod>{_day(url['lastmod'])}</lastmod>")
            if url["changefreq"]:
                parts.append(f"<changefreq>{escape(url['changefreq'])}</changefreq>")
            if url["priority"]:
                parts.append(f"<priority>{escape(url['priority'])}</priority>")
            for alternate in url["alternates"]:
                parts.append(
                    f'<xhtml:link rel="alternate" hreflang="{escape(alternate["lang_code"])}" '
                    f'href="{escape(alternate["location"])}"/>'
                )
            parts.append("</url>")
        return parts


def _day(value) -> str:
    """As the sitemap template's ``|date:"Y-m-d"``: the day in the site's time zone."""
    if isinstance(value, datetime):
        return (
            timezone.localtime(value).date().isoformat()
            if timezone.is_aware(value)
            else (value.date().isoformat())
        )
    return value.isoformat()


class HomeSitemap(LanguageSitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return ["home", "page_about", "page_methodology", "page_ratings"]

    def location(self, item):
        return reverse(item)


class FactCheckSitemap(LanguageSitemap):
    changefreq = "weekly"
    priority = 0.8
    limit = LIMIT

    def __init__(self):
        self._address = {code: fact_check_address(code) for code in self._languages()}

    def items(self):
        return current_revisions().only("slug", "published_at").order_by(*NEWEST_FIRST)

    def location(self, revision):
        return self.location_in(revision, translation.get_language())

    def url_elements(self, *, page, site, protocol) -> list[str]:
        """The page's ``<url>`` elements as ``LanguageSitemap.url_elements`` writes them,
        from one query of its fact checks' slugs, days (in the site's time zone) and dates,
        read as text (no date object per row): per fact check, its address in each language
        and the alternates that all of them list are written once, each around its slug."""
        paginator = self.paginator
        number = paginator.validate_number(page)
        bottom = (number - 1) * paginator.per_page
        top = min(bottom + paginator.per_page, paginator.count)
        languages = self._languages()
        per = len(languages)
        first, last = bottom // per, -(-top // per)
        rows = self.items().values_list(
            "slug",
            Cast(TruncDate("published_at"), CharField()),  # 2026-12-05
            Cast("published_at", CharField()),  # in UTC, so that text sorts as time
        )  # (ISO text: psycopg reads dates only in that DateStyle, so the site needs it anyway)
        root = escape(f"{self.get_protocol(protocol)}://{self.get_domain(site)}")
        # Each address as (before the slug, after it): in each language, and x-default (the
        # default language's address without its prefix).
        address = {
            code: (root + self._address[code][0], self._address[code][1]) for code in languages
        }
        links = [(code, address[code]) for code in languages]
        default = settings.LANGUAGE_CODE if settings.LANGUAGE_CODE in languages else None
        if default:
            before, after = address[default]
            links.append(("x-default", (before.replace(f"/{default}/", "/", 1), after)))
        alternates = [
            (f'<xhtml:link rel="alternate" hreflang="{code}" href="{before}', f'{after}"/>')
            for code, (before, after) in links
        ]
        locations = [
            (f"<url><loc>{address[code][0]}", f"{address[code][1]}</loc>") for code in languages
        ]
        details = f"<changefreq>{self.changefreq}</changefreq><priority>{self.priority}</priority>"
        elements, latest = [], ""
        for slug, day, published_at in rows[first:last]:
            slug = escape(slug)
            hreflang = "".join(before + slug + after for before, after in alternates)
            tail = f"<lastmod>{day}</lastmod>{details}{hreflang}</url>"
            elements += [before + slug + after + tail for before, after in locations]
            latest = max(latest, published_at)
        if latest:
            self.latest_lastmod = as_aware(latest)
        skip = bottom - first * per
        return elements[skip : skip + top - bottom]

    def location_in(self, revision, language: str) -> str:
        return revision.slug.join(self._address[language])

    def lastmod(self, revision):
        return revision.published_at

    def get_latest_lastmod(self):
        """For the index: one aggregate, not every fact check read (Django's default)."""
        return current_revisions().aggregate(latest=Max("published_at"))["latest"]


SITEMAPS = {"home": HomeSitemap, "claims": FactCheckSitemap}
