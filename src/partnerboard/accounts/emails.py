"""Render and send the account emails (invitations, connection requests) as a subject / text / HTML trio."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def absolute_url(path: str) -> str:
    """Return `path` on the site's public address, for links in emails sent without a request."""
    return settings.PARTNERBOARD_BASE_URL.rstrip("/") + path


def send_templated_email(template_prefix: str, context: dict, to: str, reply_to: str | None = None) -> None:
    """Send `<prefix>_subject.txt`, `<prefix>.txt` and `<prefix>.html` rendered with `context`."""
    subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
    text = render_to_string(f"{template_prefix}.txt", context)
    html = render_to_string(f"{template_prefix}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=[reply_to] if reply_to else None,
    )
    message.attach_alternative(html, "text/html")
    message.send()
