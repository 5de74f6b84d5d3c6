"""An article's highlights as W3C Web Annotations (the shape: claims.w3c; the reads:
claims.selectors.article.w3c_annotations)."""

import json

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from articles.access import article_for_user
from claims.selectors.article import w3c_annotations
from claims.w3c import CONTENT_TYPE, annotation_page
from factcheck.roles import desk_member_required


@desk_member_required
@require_GET
def article_annotations_jsonld(request, pk):
    article = article_for_user(request.user, pk)
    absolute = request.build_absolute_uri
    data = annotation_page(
        article,
        w3c_annotations(article),
        absolute=absolute,
        page_id=absolute(request.path),
        source=article.safe_url or absolute(article.get_absolute_url()),
    )
    content = json.dumps(data, ensure_ascii=False, indent=2)
    return HttpResponse(content, content_type=CONTENT_TYPE)
