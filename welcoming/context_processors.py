from welcoming.navigation import menu_for


def navigation(request):
    """The menu entries the signed-in user may use (apps register theirs in `welcoming.navigation`)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified():
        return {"menu": []}
    return {"menu": menu_for(user)}
