"""The sitemap: an index (/sitemap.xml) of sections, each in pages of at most ``LIMIT``
addresses (/sitemap-<section>.xml?p=N): the home page and the pages about the desk, and
every published fact check (latest revisions), newest first. Each page is one query for its
rows, one to count them, and no ``reverse()`` per address, so any page is cheap to draw
whatever the archive (docs/architecture.md, "Public pages and the cache")."""

from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Max
from django.urls import reverse
from django.utils import translation

from public.selectors.pages import current_revisions

# The protocol allows 50,000 addresses a file; 5,000 keeps a page small (2.3 MB at most with
# the hreflang alternates of two languages: bench/languages.py) and under the server
# cache's size limit.
LIMIT = 5000


class _PerLanguage:
    """``items`` once per language, as Django's i18n sitemap lists them ((item, language)
    pairs, item by item), but read a page at a time: counting is the items' count times the
    languages, and a slice reads only the items it covers (Django's own ``_items`` reads
    them all)."""

    def __init__(self, items, languages):
        self.items, self.languages = items, list(languages)

    def count(self) -> int:
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

    @property
    def paginator(self):
        return Paginator(_PerLanguage(self.items(), self._languages()), self.limit)

    def _location(self, item, force_lang_code=None):
        # Django's activates the language around location() for each address and each of its
        # alternates: location_in lets a section skip that (a page of 5,000 addresses asks
        # for 20,000 locations).
        obj, language = item
        return self.location_in(obj, force_lang_code or language)

    def location_in(self, obj, language: str) -> str:
        with translation.override(language):
            return self.location(obj)


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
        # A fact check's address is the same pattern with its slug: reversed once per language.
        self._address = {}
        for code in self._languages():
            with translation.override(code):
                self._address[code] = reverse("claim_public", args=["slug"]).rsplit("slug", 1)

    def items(self):
        return (
            current_revisions().only("slug", "published_at").order_by("-first_published_at", "-pk")
        )

    def location(self, revision):
        return self.location_in(revision, translation.get_language())

    def location_in(self, revision, language: str) -> str:
        return revision.slug.join(self._address[language])

    def lastmod(self, revision):
        return revision.published_at

    def get_latest_lastmod(self):
        """For the index: one aggregate, not every fact check read (Django's default)."""
        return current_revisions().aggregate(latest=Max("published_at"))["latest"]


SITEMAPS = {"home": HomeSitemap, "claims": FactCheckSitemap}
