"""Single-use link tokens for invitations and partner connections.

A token is random (``secrets.token_urlsafe``) and the database keeps only its
SHA-256 hash, so a copy of the database cannot be used to accept anything.
The email task still needs the raw token to build the link, so the token
travels to it sealed: XORed with a key stream derived from SECRET_KEY and
the token's hash. Each hash is unique, so no key stream is ever reused, and
a task row read without SECRET_KEY reveals nothing usable.
"""

import hashlib
import hmac
import secrets

from django.conf import settings

TOKEN_BYTES = 32


def new_token() -> tuple[str, str]:
    """Return a fresh token and the hash to store for it."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_matches(token: str, stored_hash: str) -> bool:
    """Compare in constant time, so response timing reveals nothing about the stored hash."""
    return hmac.compare_digest(hash_token(token or ""), stored_hash or "")


def _key_stream(stored_hash: str, length: int) -> bytes:
    # SHA-512 gives 64 bytes; a 32-byte token encodes to 43 characters.
    stream = hmac.new(settings.SECRET_KEY.encode(), b"link-token:" + stored_hash.encode(), hashlib.sha512).digest()
    if length > len(stream):
        raise ValueError(f"A sealed token has at most {len(stream)} characters; this one has {length}.")
    return stream[:length]


def seal(token: str, stored_hash: str) -> str:
    """Return the token encrypted for a task argument."""
    raw = token.encode()
    return bytes(a ^ b for a, b in zip(raw, _key_stream(stored_hash, len(raw)))).hex()


def unseal(sealed: str, stored_hash: str) -> str | None:
    """Return the token from `seal`, or None if it does not match `stored_hash` (SECRET_KEY changed)."""
    raw = bytes.fromhex(sealed)
    token = bytes(a ^ b for a, b in zip(raw, _key_stream(stored_hash, len(raw)))).decode("ascii", errors="replace")
    return token if token_matches(token, stored_hash) else None
