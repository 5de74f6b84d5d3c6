"""Forms of the claim desk: the verdict with its evidence links, and the review comment; and
the verdict section's context (the selector's reads with these forms), which the claim page
and the verdict endpoints both render."""

from django import forms
from django.forms import BaseFormSet, formset_factory
from django.forms.formsets import DELETION_FIELD_NAME, ORDERING_FIELD_NAME

from claims.models import EvidenceLink, Rating
from claims.selectors.desk import verdict_section
from factcheck.params import MAX_ID
from factcheck.sanitize import MAX_MARKDOWN, is_http_url, validate_markdown_length

EVIDENCE_CONTENT = ("url", "title", "publisher", "note")
MAX_EVIDENCE = 30


class VerdictForm(forms.Form):
    # Element ids stay unique when the claim page holds other forms.
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "verdict-%s")
        super().__init__(*args, **kwargs)

    rating = forms.ChoiceField(
        label="Rating",
        choices=[("", "Choose a rating…"), *Rating.choices],
        error_messages={"required": "Choose a rating."},
    )
    summary = forms.CharField(
        label="Summary",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Markdown: **bold**, *italic*, [link text](https://…), lists.",
        error_messages={"required": "Write a summary of the evidence."},
        validators=[validate_markdown_length],
    )
    correction_note = forms.CharField(
        label="Correction note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Shown publicly, dated, when this version replaces the published verdict.",
        validators=[validate_markdown_length],
    )
    # The version the form was loaded with; empty when it showed no open verdict.
    version = forms.IntegerField(
        required=False, min_value=0, max_value=MAX_ID, widget=forms.HiddenInput
    )


NOT_HTTP = "Only web addresses starting with http:// or https:// can be evidence."


class EvidenceForm(forms.Form):
    url = forms.CharField(
        label="Evidence URL",
        max_length=EvidenceLink._meta.get_field("url").max_length,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        error_messages={
            "null_characters_not_allowed": NOT_HTTP,
            "required": "Give the link's URL.",
        },
    )
    title = forms.CharField(
        label="Title",
        max_length=EvidenceLink._meta.get_field("title").max_length,
        error_messages={"required": "Give the link a title."},
    )
    publisher = forms.CharField(
        label="Publisher",
        required=False,
        max_length=EvidenceLink._meta.get_field("publisher").max_length,
    )
    note = forms.CharField(
        label="Note",
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
        form.fields[ORDERING_FIELD_NAME].label = "Position"
        form.fields[ORDERING_FIELD_NAME].widget.attrs.update({"min": 1, "class": "position"})
        if DELETION_FIELD_NAME in form.fields:
            form.fields[DELETION_FIELD_NAME].label = "Remove this link"

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
        label="Review comment",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when you request changes: say what should change.",
        validators=[validate_markdown_length],
    )
    version = forms.IntegerField(min_value=0, max_value=MAX_ID, widget=forms.HiddenInput)


def verdict_section_context(
    user,
    claim,
    *,
    form=None,
    formset=None,
    review_form=None,
    errors=(),
    notice="",
    show_errors=True,
    comment=None,
) -> dict:
    """Context for claims/desk/_verdict_section.html (reads: selectors.desk.verdict_section),
    under one key so it never collides with the page that includes it. ``comment``: a
    refused comment on a verdict, (verdict id, bound form), shown in that verdict's thread."""
    section = verdict_section(user, claim)
    open_verdict = section["open"]
    if form is None and section["can_edit"]:
        form, formset = _initial_forms(open_verdict or section["published"], open_verdict)
    unsent_comment = ""
    if review_form is not None and not section["can_review"]:
        unsent_comment = review_form.data.get("comment", "").strip()
    if section["can_review"] and review_form is None:
        review_form = ReviewForm(initial={"version": open_verdict.version})
    section.update(
        show_form=form is not None,
        form=form,
        formset=formset,
        show_errors=show_errors,
        review_form=review_form,
        unsent_comment=unsent_comment,
        errors=list(errors),
        notice=notice,
        comment_for=comment[0] if comment else None,
        comment_form=comment[1] if comment else None,
        comment_max=MAX_MARKDOWN,
    )
    return {"verdict_section": section}


def _initial_forms(source, open_verdict):
    """The form as loaded: the open verdict, or the published one to start a new version
    from (only what the editor then sends is saved)."""
    if source is None:
        return VerdictForm(), EvidenceFormSet(prefix=EVIDENCE_PREFIX)
    form = VerdictForm(
        initial={
            "rating": source.rating,
            "summary": source.summary,
            "correction_note": open_verdict.correction_note if open_verdict else "",
            "version": open_verdict.version if open_verdict else None,
        }
    )
    links = [
        {"url": e.url, "title": e.title, "publisher": e.publisher, "note": e.note}
        for e in source.evidence.all()
    ]
    return form, EvidenceFormSet(initial=links, prefix=EVIDENCE_PREFIX)
