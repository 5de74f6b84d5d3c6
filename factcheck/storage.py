"""The static files storage in production: whitenoise's compressed manifest storage (hashed
names, cached for a year), which also rewrites the imports between the desk script's ES
modules (static/js/desk/) to their hashed names, so a page never mixes one release's
module with another's (docs/architecture.md, "The desk in the browser")."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    support_js_module_import_aggregation = True
