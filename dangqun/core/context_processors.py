from django.conf import settings


def site(request):
    """What every page's layout needs: the site's name and the reader's text size."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "DISTRICT_NAME": settings.DISTRICT_NAME,
        "large_text": request.COOKIES.get("dq_text") == "large",
    }
