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


@register.simple_tag
def article_copies(article):
    """(the original ``article`` copies or None, the other copies of the story), in one
    query: "also published by …"."""
    from django.db.models import Q

    from articles.models import Article

    root = article.copy_of_id or article.pk
    story = (
        Article.objects.filter(Q(pk=root) | Q(copy_of_id=root))
        .exclude(pk=article.pk)
        .select_related("outlet")
        .only("pk", "title", "copy_of_id", "outlet__name")
        .order_by("pk")
    )
    original, others = None, []
    for other in story:
        if other.pk == article.copy_of_id:
            original = other
        else:
            others.append(other)
    return original, others
