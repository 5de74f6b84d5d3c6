from django.conf import settings

from factcheck import roles


def site(request):
    user = getattr(request, "user", None)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "is_desk_member": bool(user and roles.is_desk_member(user)),
        "is_editor": bool(user and roles.is_editor(user)),
        "is_reviewer": bool(user and roles.is_reviewer(user)),
    }
