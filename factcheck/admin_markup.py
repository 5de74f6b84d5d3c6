"""Django's own admin pages, made valid HTML: the Nu checker finds four errors in markup that
Django (and django-otp) write, not us. Each fix is a subclass used by our admin classes;
`tests/test_admin_markup.py` runs the Nu checker over the pages they draw."""

from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth.forms import (
    AdminPasswordChangeForm,
    ReadOnlyPasswordHashWidget,
    SetUnusablePasswordMixin,
    UserChangeForm,
)
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


class LabelledAutocompleteSelect(AutocompleteSelect):
    """The empty choice of an optional autocomplete is `<option value=""></option>`: an empty
    option needs a label (the search box shows it as its placeholder, as before). A required
    one has no empty choice at all, and a required `<select>` must start with one (the
    placeholder option): it gets it too; choosing it is refused as before (the field is
    required)."""

    def optgroups(self, name, value, attr=None):
        groups = super().optgroups(name, value, attr)
        options = groups[0][1]
        placeholder = bool(options) and options[0]["value"] == ""
        if self.is_required and not self.allow_multiple_selected and not placeholder:
            options.insert(0, self.create_option(name, "", "", False, 0))
        return groups

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value == "" and not label:
            option["attrs"]["label"] = "—"
        return option


class PasswordHashWidget(ReadOnlyPasswordHashWidget):
    """The password's summary is a `<div>`, and a disabled field writes `disabled` on it."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].pop("disabled", None)
        return context


class UserForm(UserChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "password" in self.fields:
            self.fields["password"].widget = PasswordHashWidget()


class PasswordChangeForm(AdminPasswordChangeForm):
    """Django's help text puts a `<ul>` inside the `<p>` the template wraps it in; the same
    warning as a `<span>` (Django's stylesheet still hides it while the password is kept)."""

    usable_password_help_text = format_lazy(
        '{} <span id="id_unusable_warning" class="messagelist">{}</span>',
        SetUnusablePasswordMixin.usable_password_help_text,
        _("If disabled, the current password for this user will be lost."),
    )


class HiddenInitialWithoutAria:
    """A field with a callable default (an authenticator's key) writes its initial value in a
    hidden input too, and Django copies `aria-describedby` onto it, which a hidden input must
    not carry. The admin's add form does not need that copy."""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        for field in form.base_fields.values():
            field.show_hidden_initial = False
        return form
