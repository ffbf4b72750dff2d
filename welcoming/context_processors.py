from welcoming import selectors
from welcoming.navigation import menu_for


def navigation(request):
    """The municipality's words on every page, and the menu entries and unread count of the signed-in user."""
    municipality = selectors.municipality_of_request(request)
    context = {"municipality": municipality, "words": selectors.municipality_words(municipality), "menu": []}
    user = getattr(request, "user", None)
    # A token-authenticated API request has a plain user, not django-otp's: it never gets the staff menu.
    if user is not None and user.is_authenticated and getattr(user, "is_verified", lambda: False)():
        context["menu"] = menu_for(user)
        context["unread_notifications"] = selectors.unread_badge(user=user)
    return context
