from functools import cache

from django.conf import settings
from django.urls import translate_url
from django.utils import translation

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
    the templates that draw hreflang links or the switcher pay for it."""

    @cache
    def links():
        path = request.get_full_path()
        current = translation.get_language()
        found = []
        for code, name in settings.LANGUAGES:
            found.append(
                {
                    "code": code,
                    "name": name,
                    "url": request.build_absolute_uri(translate_url(path, code)),
                    "current": code == current,
                }
            )
        if len({link["url"] for link in found}) < len(found):
            return []  # the same address in every language: not a page per language
        return found

    def default_url():
        return next((link["url"] for link in links() if link["code"] == settings.LANGUAGE_CODE), "")

    return {"language_links": links, "language_default_url": default_url}
