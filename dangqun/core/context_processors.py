from django.conf import settings
from django.utils.translation import get_language


def site(request):
    """What every page's layout needs: the site's name and the reader's text size."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "DISTRICT_NAME": district_name(),
        "large_text": request.COOKIES.get("dq_text") == "large",
    }


def district_name() -> str:
    """The district's name in the language shown (its English name on English pages)."""
    if get_language() == "en" and settings.DISTRICT_NAME_EN:
        return settings.DISTRICT_NAME_EN
    return settings.DISTRICT_NAME
