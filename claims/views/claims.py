from django.http import Http404

from factcheck.roles import desk_member_required


@desk_member_required
def claim_list(request):
    raise Http404  # built by the annotation desk issue


@desk_member_required
def claim_detail(request, pk):
    raise Http404
