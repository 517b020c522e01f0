from django.utils.http import url_has_allowed_host_and_scheme


def posted_next_or(request, fallback: str) -> str:
    """Return the form's posted `next` page when it is on this site, else `fallback`.

    The value comes from the client, so an address on another host is ignored
    rather than followed.
    """
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
