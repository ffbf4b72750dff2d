from welcoming import selectors
from welcoming.navigation import menu_for


def navigation(request):
    """The municipality's words on every page, and the menu entries and unread count of the signed-in user."""
    municipality = selectors.municipality_get()
    context = {"municipality": municipality, "words": selectors.municipality_words(municipality), "menu": []}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_verified():
        context["menu"] = menu_for(user)
        context["unread_notifications"] = selectors.unread_count(user=user)
    return context
