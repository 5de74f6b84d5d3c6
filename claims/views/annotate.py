from django.http import Http404

from factcheck.roles import desk_member_required


@desk_member_required
def article_detail(request, pk):
    raise Http404  # built by the annotation desk issue


@desk_member_required
def article_annotations_jsonld(request, pk):
    raise Http404
