from django import template

from webfetch.services import evidence_state

register = template.Library()


@register.simple_tag
def evidence_archive(verdict, url):
    """(snapshot, check) of one of ``verdict``'s evidence links: read for all of the
    verdict's links at once, on the first, and kept on the verdict for the others."""
    state = getattr(verdict, "_evidence_state", None)
    if state is None:
        state = evidence_state([link.url for link in verdict.evidence.all()])
        verdict._evidence_state = state
    return state.get(url, (None, None))
