"""Email settings read from the environment: EMAIL_URL, or the EMAIL_HOST family of variables.

This module is imported by settings.py, so it must not import models or
anything that needs configured settings.
"""

import os
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.core.validators import validate_email
from django.core.exceptions import ValidationError

from partnerboard.env import env_bool, env_int, env_str

SMTP_BACKEND = "partnerboard.notifications.smtp.EmailBackend"
CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"

# URL scheme: (use_tls, use_ssl, default port)
SMTP_SCHEMES = {
    "smtp": (False, False, 25),
    "smtp+tls": (True, False, 587),
    "smtp+ssl": (False, True, 465),
}


def env_email_address(name: str, default: str) -> str:
    """Return a bare email address from the environment, rejecting display names and line breaks."""
    raw = env_str(name, default).strip()
    try:
        validate_email(raw)
    except ValidationError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an email address; use a bare address like team@example.com.") from None
    return raw


def parse_email_url(url: str) -> dict:
    """Return Django email settings for an EMAIL_URL such as smtp+tls://user:password@host:587."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "console":
        return {"EMAIL_BACKEND": CONSOLE_BACKEND}
    if scheme not in SMTP_SCHEMES:
        raise ImproperlyConfigured(
            f"EMAIL_URL has the scheme {scheme!r}; use smtp://, smtp+tls://, smtp+ssl:// or console://."
        )
    if not parts.hostname:
        raise ImproperlyConfigured("EMAIL_URL names no host; use smtp://USER:PASSWORD@HOST:PORT.")
    use_tls, use_ssl, default_port = SMTP_SCHEMES[scheme]
    try:
        port = parts.port or default_port
    except ValueError:
        raise ImproperlyConfigured("EMAIL_URL has an invalid port; use a number from 1 to 65535.") from None
    return {
        "EMAIL_BACKEND": SMTP_BACKEND,
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
    }


def email_settings() -> dict:
    """Return EMAIL_BACKEND, EMAIL_HOST and the rest, from EMAIL_URL, EMAIL_HOST or the console default."""
    url = env_str("EMAIL_URL", "").strip()
    if url:
        config = parse_email_url(url)
    elif env_str("EMAIL_HOST", "").strip():
        config = {
            "EMAIL_BACKEND": SMTP_BACKEND,
            "EMAIL_HOST": env_str("EMAIL_HOST", "").strip(),
            "EMAIL_PORT": env_int("EMAIL_PORT", 25, minimum=1),
            "EMAIL_HOST_USER": env_str("EMAIL_HOST_USER", ""),
            "EMAIL_HOST_PASSWORD": env_str("EMAIL_HOST_PASSWORD", ""),
            "EMAIL_USE_TLS": env_bool("EMAIL_USE_TLS", False),
            "EMAIL_USE_SSL": env_bool("EMAIL_USE_SSL", False),
        }
    else:
        config = {"EMAIL_BACKEND": env_str("EMAIL_BACKEND", CONSOLE_BACKEND)}
    if config.get("EMAIL_USE_TLS") and config.get("EMAIL_USE_SSL"):
        raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL are both on; choose STARTTLS or implicit TLS.")
    if "EMAIL_URL" in os.environ and "EMAIL_HOST" in os.environ:
        raise ImproperlyConfigured("EMAIL_URL and EMAIL_HOST are both set; keep one of them.")
    # Seconds an SMTP connect or command may take before the attempt counts as a temporary failure.
    config["EMAIL_TIMEOUT"] = env_int("EMAIL_TIMEOUT", 30, minimum=1)
    return config
