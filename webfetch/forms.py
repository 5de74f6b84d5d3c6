"""The forms of webfetch's pages (the desk's and the admin's import use the same one)."""

from django import forms

from articles.models import Outlet
from webfetch import services
from webfetch.services import MAX_URLS


class UrlsForm(forms.Form):
    urls = forms.CharField(
        label="Addresses of articles",
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "autocomplete": "off"}),
        help_text=f"One a line, up to {MAX_URLS}: http:// or https:// addresses of news pages.",
        error_messages={"required": "Paste at least one address (http:// or https://)."},
    )

    def clean_urls(self):
        return services.urls_parse(self.cleaned_data["urls"])


class FeedForm(forms.Form):
    outlet = forms.ModelChoiceField(queryset=Outlet.objects.all(), label="Outlet")
    url = forms.URLField(
        label="Feed address",
        max_length=2000,
        assume_scheme="https",
        help_text="RSS, Atom or JSON Feed.",
    )
