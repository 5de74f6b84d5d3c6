"""Writing verdicts and moving them through review (built by the verdicts issue)."""


def verdict_section_context(request, claim) -> dict:
    """Context for claims/desk/_verdict_section.html on the claim's desk page."""
    return {}
