// The desk's words in the reader's language (docs/architecture.md, "Desk strings and
// JavaScript"). Django's JavaScript catalogue (/jsi18n/<language>/, django.views.i18n.JavaScriptCatalog)
// is loaded as a classic <script src> before the modules and defines window.gettext,
// ngettext and interpolate; every string a person reads goes through these, so
// `make messages` collects it into locale/<lang>/LC_MESSAGES/djangojs.po. Without the
// catalogue (a page that does not load it) the English source is shown.
// tests/i18n/test_desk_in_ukrainian.py fails on a string literal written into the page
// without them.

const catalogue = globalThis;

export function gettext(message) {
  return catalogue.gettext ? catalogue.gettext(message) : message;
}

export function ngettext(singular, plural, count) {
  if (catalogue.ngettext) return catalogue.ngettext(singular, plural, count);
  return count === 1 ? singular : plural;
}

// "%(name)s" placeholders filled from `values` (named, as Django's interpolate does).
export function interpolate(format, values) {
  if (catalogue.interpolate) return catalogue.interpolate(format, values, true);
  return format.replace(/%\((\w+)\)s/g, (_, name) => String(values[name]));
}
