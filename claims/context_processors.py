from claims.desk_names import DESK


def desk(request):
    """The names the desk's pages share with their script (claims.desk_names)."""
    return {"DESK": DESK}
