"""Every form of the claim desk, in one place (docs/architecture.md, "Layers"): the annotate
form, the claim's wording, publishing, comments and assignment, the verdict with its
evidence links and the review comment, the article correction and the notification
settings. Forms parse and check what was typed; the page data around them is assembled by
the selectors (claims.selectors), never here."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms import BaseFormSet, formset_factory
from django.forms.formsets import DELETION_FIELD_NAME, ORDERING_FIELD_NAME
from django.utils.translation import gettext_lazy as _

from claims.models import Claim, ClaimantType, ClaimRedirect, EvidenceLink, Rating, Stance
from factcheck.params import MAX_ID
from factcheck.sanitize import MAX_MARKDOWN, is_http_url, validate_markdown_length


class AnnotationForm(forms.Form):
    """Claim (chosen from the type-ahead, or typed as a new one), stance and note."""

    claim = forms.IntegerField(required=False, widget=forms.HiddenInput)
    claim_text = forms.CharField(required=False, max_length=500, label=_("Claim"))
    stance = forms.ChoiceField(
        choices=Stance.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a stance: asserts, attributes or disputes."),
            "invalid_choice": _("Choose a stance: asserts, attributes or disputes."),
        },
    )
    note = forms.CharField(
        required=False,
        widget=forms.Textarea,
        label=_("Note"),
        validators=[validate_markdown_length],
    )

    def clean_claim(self):
        pk = self.cleaned_data.get("claim")
        if pk is None:
            return None
        claim = Claim.objects.filter(pk=pk).first()
        if claim is None:
            raise ValidationError(
                _("That claim no longer exists; choose another or type a new one.")
            )
        return claim

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "claim": data["claim"],
            "new_claim_statement": data["claim_text"],
            "stance": data["stance"],
            "note": data["note"],
        }


# --- a claim's page ------------------------------------------------------------------


class ClaimForm(forms.Form):
    statement = forms.CharField(
        label=_("Statement"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    claimant = forms.CharField(label=_("Claimant"), max_length=200, required=False)
    claimant_type = forms.ChoiceField(
        label=_("The claimant is"),
        choices=[("", _("Not said")), *ClaimantType.choices],
        required=False,
        help_text=_("Search engines show a person and an organisation differently."),
    )


class PublishForm(forms.Form):
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31)
    update_note = forms.CharField(
        label=_("Public update note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown to readers in the fact check's list of updates."),
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=MAX_MARKDOWN,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Markdown. Mention someone with @username to send them a mail."),
    )


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Assigned to"), empty_label=_("Nobody")
    )

    def __init__(self, *args, members, **kwargs):
        """``members``: who may be chosen (claims.selectors.desk.desk_members)."""
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = members


# --- the verdict and its review ----------------------------------------------------------

EVIDENCE_CONTENT = ("url", "title", "publisher", "note")
MAX_EVIDENCE = 30


class VerdictForm(forms.Form):
    # Element ids stay unique when the claim page holds other forms.
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "verdict-%s")
        super().__init__(*args, **kwargs)

    rating = forms.ChoiceField(
        label=_("Rating"),
        choices=[("", _("Choose a rating…")), *Rating.choices],
        error_messages={"required": _("Choose a rating.")},
    )
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown: **bold**, *italic*, [link text](https://…), lists."),
        error_messages={"required": _("Write a summary of the evidence.")},
        validators=[validate_markdown_length],
    )
    correction_note = forms.CharField(
        label=_("Correction note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown publicly, dated, when this version replaces the published verdict."),
        validators=[validate_markdown_length],
    )
    # The version the form was loaded with; empty when it showed no open verdict.
    version = forms.IntegerField(
        required=False, min_value=0, max_value=MAX_ID, widget=forms.HiddenInput
    )


NOT_HTTP = _("Only web addresses starting with http:// or https:// can be evidence.")


class EvidenceForm(forms.Form):
    url = forms.CharField(
        label=_("Evidence URL"),
        max_length=EvidenceLink._meta.get_field("url").max_length,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        error_messages={
            "null_characters_not_allowed": NOT_HTTP,
            "required": _("Give the link's URL."),
        },
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=EvidenceLink._meta.get_field("title").max_length,
        error_messages={"required": _("Give the link a title.")},
    )
    publisher = forms.CharField(
        label=_("Publisher"),
        required=False,
        max_length=EvidenceLink._meta.get_field("publisher").max_length,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[validate_markdown_length],
    )

    def has_changed(self):
        # A row left blank (or blanked out) is no link at all, whatever its position says.
        return any((self[name].data or "").strip() for name in EVIDENCE_CONTENT)

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not is_http_url(url):
            raise forms.ValidationError(NOT_HTTP)
        return url


class BaseEvidenceFormSet(BaseFormSet):
    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.empty_permitted = True
        return form

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields[ORDERING_FIELD_NAME].label = _("Position")
        form.fields[ORDERING_FIELD_NAME].widget.attrs.update({"min": 1, "class": "position"})
        if DELETION_FIELD_NAME in form.fields:
            form.fields[DELETION_FIELD_NAME].label = _("Remove this link")

    def links(self) -> list[dict]:
        """The kept links in their chosen order (ties and blanks keep the form's order)."""
        rows = []
        for index, form in enumerate(self.forms):
            if not form.has_changed() or self._should_delete_form(form):
                continue
            position = form.cleaned_data.get(ORDERING_FIELD_NAME)
            data = {name: form.cleaned_data.get(name, "") for name in EVIDENCE_CONTENT}
            rows.append(((position is None, position or 0, index), data))
        return [data for _, data in sorted(rows, key=lambda row: row[0])]


EvidenceFormSet = formset_factory(
    EvidenceForm,
    formset=BaseEvidenceFormSet,
    extra=1,
    can_order=True,
    can_delete=True,
    can_delete_extra=False,
    max_num=MAX_EVIDENCE,
    validate_max=True,
    absolute_max=MAX_EVIDENCE + 10,
)

EVIDENCE_PREFIX = "evidence"


class ReviewForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "review-%s")
        super().__init__(*args, **kwargs)

    comment = forms.CharField(
        label=_("Review comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you request changes: say what should change."),
        validators=[validate_markdown_length],
    )
    version = forms.IntegerField(min_value=0, max_value=MAX_ID, widget=forms.HiddenInput)


# --- corrections and settings --------------------------------------------------------


class CorrectionForm(forms.Form):
    # Whitespace is text here: offsets count every character, so nothing is stripped.
    text = forms.CharField(
        label=_("Corrected text"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 24, "class": "correction-text", "spellcheck": "true"}),
    )
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown in the article's correction history."),
    )
    # The text the form was built from: a correction saved meanwhile is not overwritten.
    content_hash = forms.CharField(widget=forms.HiddenInput)


class PreferencesForm(forms.Form):
    email = forms.BooleanField(
        required=False,
        label=_(
            "E-mail me when a review is requested, changes are requested, a verdict I "
            "worked on is approved, someone mentions me or assigns me a claim, or a published "
            "claim I am assigned or published comes back in new articles"
        ),
    )
    # The desk's language; blank: the browser's (factcheck.middleware.person_language).
    language = forms.ChoiceField(
        required=False,
        label=_("Language of the desk"),
        choices=[("", _("The browser's choice")), *settings.LANGUAGES],
    )


class ClaimAddForm(forms.ModelForm):
    """A claim made in the admin follows the desk's address rules: never a merged claim's
    old address (it leads to the survivor) or a reserved path."""

    class Meta:
        model = Claim
        fields = ["statement", "slug", "claimant", "claimant_type", "assigned_to"]

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in Claim.RESERVED_SLUGS:
            raise forms.ValidationError(_("This address is reserved for another page."))
        if ClaimRedirect.objects.filter(slug=slug).exists():
            raise forms.ValidationError(
                _(
                    "This address belonged to a claim merged into another: readers who follow it "
                    "reach the surviving claim. Choose another."
                )
            )
        return slug

    def clean_statement(self):
        statement = self.cleaned_data["statement"]
        if Claim.objects.with_key(statement).exists():
            raise forms.ValidationError(_("Another claim already has this statement."))
        return statement


class WordingForm(forms.Form):
    """A claim's wording in another language (the claim radar and search match it)."""

    language = forms.CharField(max_length=35)
    text = forms.CharField(max_length=500, required=False)


# --- merging ---------------------------------------------------------------------------

MERGE_CHOICE_PREFIX = "choice-"


def merge_choices_posted(data) -> dict[str, str]:
    """The merge page's choice for each moving highlight (``choice-<id>``: a stance, or
    "drop"), as posted; the merge service checks them against the highlights that move."""
    return {
        key.removeprefix(MERGE_CHOICE_PREFIX): value
        for key, value in data.items()
        if key.startswith(MERGE_CHOICE_PREFIX)
        and key.removeprefix(MERGE_CHOICE_PREFIX).isdigit()
        and len(key) < 40
    }
