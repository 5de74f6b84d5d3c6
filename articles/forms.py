from django import forms
from django.utils.translation import gettext_lazy as _


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django docs, "Uploading multiple files")."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        # Empty files are reported by the importer, file by file, not refused for the batch.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single_clean = super().clean
        if isinstance(data, list | tuple) and data:
            return [single_clean(item, initial) for item in data]
        return [single_clean(data or None, initial)]


class ImportUploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Article files or zip archives"),
        help_text=(
            _(
                "Plain-text articles in UTF-8, UTF-16 or a legacy encoding (cp1251, koi8-r, "
                "cp1252 …), .zip archives of them, and optionally a manifest.toml with metadata."
            )
        ),
    )
