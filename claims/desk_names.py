"""The names the desk's article page shares between the server and its script, written once
(docs/architecture.md, "The desk in the browser"): the ids of the elements the script
finds, the prefix of a highlight's anchor and the events the server and the templates send
it. Templates read them as ``DESK`` (claims.context_processors.desk); the script reads the
same dictionary from the JSON element ``#desk-names`` the page renders
(static/js/desk/names.js). The stylesheet names a few of these ids as well.
"""

SCRIPT_ELEMENT = "desk-names"  # the JSON element's own id, the one name the script hard-codes

IDS = {
    "layout": "article-layout",  # carries data-cards-url, the popover's source
    "body": "article-body",  # the article's text: offsets count its textContent
    "form": "annotate-form",
    "quote": "annotate-quote",
    "errors": "annotate-errors",
    "discard": "annotate-discard",
    "button": "annotate-button",  # the floating "Annotate" button (made by the script)
    "popover": "desk-popover",
}

# A highlight's first run is preceded by an empty element with this prefix and its id:
# links (Annotation.get_absolute_url) and the panel jump there (claims.highlight).
ANCHOR_PREFIX = "annotation-"

EVENTS = {
    # Sent by the server after every write (HX-Trigger-After-Settle), with the highlight's id.
    "changed": "annotationsChanged",
    # Sent by the script to the claim input (ArrowDown in an empty input): list claims now.
    "suggest": "suggest",
}

DESK = {"ids": IDS, "anchor": ANCHOR_PREFIX, "events": EVENTS, "script_element": SCRIPT_ELEMENT}
