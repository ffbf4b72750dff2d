from welcoming import selectors
from welcoming.navigation import menu_for, search_for


def navigation(request):
    """The municipality's words on every page, and the menu entries and unread count of the signed-in user."""
    municipality = selectors.municipality_of_request(request)
    context = {
        "municipality": municipality,
        "words": selectors.municipality_words(municipality),
        "contact": selectors.office_contact(municipality),
        "menu": [],
    }
    user = getattr(request, "user", None)
    # A token-authenticated API request has a plain user, not django-otp's: it never gets the staff menu.
    if user is not None and user.is_authenticated and getattr(user, "is_verified", lambda: False)():
        context["menu"] = menu_for(user)
        context["header_search"] = search_for(user)
        unread = selectors.unread_count(user=user)
        more = unread > selectors.UNREAD_SHOWN
        context["unread_notifications"] = unread
        context["unread_more"] = more  # the home page says "more than 99"
        context["unread_badge"] = f"{selectors.UNREAD_SHOWN}+" if more else str(unread)
    return context
