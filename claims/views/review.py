from django.http import Http404

from factcheck.roles import reviewer_required


@reviewer_required
def review(request):
    raise Http404  # built by the verdicts issue
