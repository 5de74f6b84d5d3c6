"""The forms of webfetch's pages (the desk's and the admin's import use the same one)."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from articles.models import Outlet
from webfetch import services
from webfetch.services import MAX_URLS


class UrlsForm(forms.Form):
    urls = forms.CharField(
        label=_("Addresses of articles"),
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "autocomplete": "off"}),
        help_text=format_lazy(
            _("One a line, up to {limit}: http:// or https:// addresses of news pages."),
            limit=MAX_URLS,
        ),
        error_messages={"required": _("Paste at least one address (http:// or https://).")},
    )

    def clean_urls(self):
        return services.urls_parse(self.cleaned_data["urls"])


class FeedForm(forms.Form):
    outlet = forms.ModelChoiceField(
        queryset=Outlet.objects.all(), label=_("Outlet"), empty_label=_("Choose an outlet")
    )
    url = forms.URLField(
        label=_("Feed address"),
        max_length=2000,
        assume_scheme="https",
        help_text=_("RSS, Atom or JSON Feed."),
    )
