import zoneinfo
from urllib.parse import unquote

from django.utils import timezone

# Set by static/js/timezone.js from the browser's Intl API.
TIME_ZONE_COOKIE = "pb_tz"


class ViewerTimeZoneMiddleware:
    """Show times in the viewer's own time zone, as reported by the browser."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The script percent-encodes the name, so "Europe/Paris" arrives as "Europe%2FParis".
        zone = viewer_time_zone(unquote(request.COOKIES.get(TIME_ZONE_COOKIE, "")))
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        return self.get_response(request)


def viewer_time_zone(name: str) -> zoneinfo.ZoneInfo | None:
    if not name:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
