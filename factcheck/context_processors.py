from functools import cache

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import iri_to_uri

from factcheck import roles


def site(request):
    user = getattr(request, "user", None)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "is_desk_member": bool(user and roles.is_desk_member(user)),
        "is_editor": bool(user and roles.is_editor(user)),
        "is_reviewer": bool(user and roles.is_reviewer(user)),
    }


def languages(request):
    """The page in each language of the site (``language_links``), when its address has
    one per language (the public pages, i18n_patterns); empty elsewhere. Read lazily: only
    the templates that draw hreflang links or the switcher pay for it. Each address is the
    page's own route reversed in that language (what ``translate_url`` does, without
    resolving the path again), with the same query."""

    @cache
    def links():
        match = request.resolver_match
        if match is None or match.url_name is None:
            return []  # no named page here (a 404): nothing to translate
        name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
        query = request.META.get("QUERY_STRING", "")
        query = "?" + iri_to_uri(query) if query else ""
        current = translation.get_language()
        found = []
        for code, label in settings.LANGUAGES:
            with translation.override(code):
                path = reverse(name, args=match.args, kwargs=match.kwargs)
            found.append(
                {
                    "code": code,
                    "name": label,
                    "url": request.build_absolute_uri(path + query),
                    "current": code == current,
                }
            )
        if len({link["url"] for link in found}) < len(found):
            return []  # the same address in every language: not a page per language
        return found

    def default_url():
        return next((link["url"] for link in links() if link["code"] == settings.LANGUAGE_CODE), "")

    return {"language_links": links, "language_default_url": default_url}
