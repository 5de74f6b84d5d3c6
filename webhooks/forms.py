"""The admin's endpoint form: the address checked as the fetcher will check it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from webfetch import fetcher
from webhooks.models import Endpoint, Event


class EndpointForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=Event.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What this endpoint is told about."),
    )

    class Meta:
        model = Endpoint
        fields = ["url", "description", "events", "format", "active"]
        help_texts = {
            "url": _(
                "An http:// or https:// address on the public internet "
                "(WEBHOOK_ALLOW_PRIVATE_NETWORKS lets private ones through)."
            ),
        }

    def clean_url(self):
        url = self.cleaned_data["url"]
        if problem := fetcher.address_problem(url, use=fetcher.WEBHOOK):
            raise forms.ValidationError(
                _("Webhooks cannot be sent to this address: %(reason)s."),
                params={"reason": problem},
                code="address",
            )
        return url
