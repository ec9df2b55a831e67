"""Who may call what: bearer keys, their roles, and the role each route needs.

`role_of(header)` maps an `Authorization` header to "admin", "user" or a
refusal (401 no key, 403 unknown key); `required_role(method, path)` says what
a route needs. Keys are compared in constant time and never logged: logs carry
`key_id`, the first 8 hex digits of the key's SHA-256.
"""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

OPEN_PATHS = frozenset({"/health", "/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"})
ROLES = ("user", "admin")


class AuthError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


def key_id(key: str) -> str:
    """A short, stable, non-secret name for a key, for logs and rate-limit buckets.

    >>> key_id("secret")
    '2bb80d53'
    """
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def required_role(method: str, path: str) -> str | None:
    """None for open routes, "admin" for changing documents, "user" for the rest.

    >>> required_role("GET", "/health"), required_role("GET", "/documents"), required_role("DELETE", "/documents/a.txt")
    (None, 'user', 'admin')
    """
    if path in OPEN_PATHS:
        return None
    if (path == "/documents" or path.startswith("/documents/")) and method.upper() not in ("GET", "HEAD", "OPTIONS"):
        return "admin"
    return "user"


@dataclass(frozen=True)
class KeyRing:
    user_keys: frozenset[str]
    admin_keys: frozenset[str]

    def _known(self, key: str, keys: frozenset[str]) -> bool:
        data = key.encode("utf-8", "surrogatepass")
        found = False
        for k in keys:  # compare with every key: the time does not tell which one nearly matched
            found |= hmac.compare_digest(data, k.encode("utf-8"))
        return found

    def check(self, authorization: str | None, needed: str) -> str:
        """The key's id if it may use a route that needs `needed`; raises AuthError(401/403) otherwise."""
        if not authorization:
            raise AuthError(401, "missing API key: send the header 'Authorization: Bearer <key>'")
        scheme, _, key = authorization.partition(" ")
        key = key.strip()
        if scheme.lower() != "bearer" or not key:
            raise AuthError(401, "malformed Authorization header: expected 'Bearer <key>'")
        if self._known(key, self.admin_keys):
            return key_id(key)
        if self._known(key, self.user_keys):
            if needed == "admin":
                raise AuthError(403, "this key may ask and search but not change documents: use a key from ADMIN_API_KEYS")
            return key_id(key)
        raise AuthError(403, "unknown API key: use a key listed in API_KEYS or ADMIN_API_KEYS")
