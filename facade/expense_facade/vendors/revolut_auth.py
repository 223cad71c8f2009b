"""Revolut's refresh flow as a token provider: ``RevolutRefreshToken``.

An access token lives 40 minutes; a new one is asked at ``POST {base}/auth/token`` with
the refresh token and a client assertion (a JWT signed RS256 with the app's private key).
docs/vendors/revolut.md ("Unattended: the refresh flow") shows the settings and the
flow. The JWT is built and signed by PyJWT (the optional
``revolut-refresh`` extra), never by hand.

The provider holds no HTTP client of its own: the Revolut adapter hands it a function
that sends the refresh request through the facade's HTTP layer (retries, timeouts,
redaction) and the adapter's clock (``expense_facade.clock``), so a sandbox clock drives
expiry in tests.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import attrs

from expense_facade._http.redaction import register_secret, secret_field
from expense_facade.clock import Clock
from expense_facade.errors import ConfigurationError
from expense_facade.input_files import read_regular

EXTRA = "revolut-refresh"
"""The optional dependency set that brings the JWT signer (PyJWT with its crypto extra)."""
INSTALL_HINT = f"pip install 'expense-facade[{EXTRA}]'"
AUDIENCE = "https://revolut.com"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
GRANT_TYPE = "refresh_token"
ASSERTION_LIFETIME = 300.0
"""Seconds a client assertion is valid (it is used at once, for one request)."""
REFRESH_MARGIN = 120.0
"""Seconds before the access token's expiry at which a new one is asked (a request in
flight, or a clock a little off, must not meet an expired token)."""
MAX_PRIVATE_KEY_BYTES = 64 * 1024
"""A PEM RSA key is a few kilobytes; a larger file is not one."""

TokenRequest = Callable[[Callable[[], Mapping[str, str]]], tuple[str, float]]
"""Sends the refresh form to ``POST /auth/token``, asking the function given for a new one
at each attempt (the assertion it carries lives ``ASSERTION_LIFETIME`` seconds, and a
pacing or retry wait may come first); returns the answer's access token and its lifetime
in seconds (the adapter reads them through the spec's ``AccessToken``)."""


def _jwt() -> Any:
    """The PyJWT module, or ``ConfigurationError`` naming the extra to install."""
    try:
        import jwt
        from jwt.algorithms import has_crypto
    except ImportError:
        has_crypto = False
    if not has_crypto:
        raise ConfigurationError(
            f"revolut: the refresh flow signs a JWT with PyJWT[crypto], which is not "
            f"installed; install the {EXTRA!r} extra: {INSTALL_HINT}"
        )
    return jwt


def _error(message: str) -> ConfigurationError:
    return ConfigurationError(f"revolut: {message}")


NOT_A_PEM = (
    "revolut: private_key holds the PEM itself (text starting with -----BEGIN), and this "
    "value does not; give a key file's path as private_key_path instead"
)
"""The one line for a ``private_key`` that is not PEM text (never read as a path)."""


def _read_private_key(value: bytes | str | os.PathLike[str]) -> str:
    """The PEM text. The rule (docs/vendors/revolut.md): ``bytes`` and ``str`` are the key
    itself and must hold a PEM block; only a path object (``pathlib.Path``, which
    ``private_key_path`` becomes) names a file. A string is never taken for a path: a
    mistyped secret would otherwise be looked up on disk."""
    if isinstance(value, os.PathLike):
        # A regular file of at most the bound (a FIFO or a device is refused at once).
        raw = read_regular(Path(value), "the private key file", MAX_PRIVATE_KEY_BYTES, _error)
    elif isinstance(value, bytes | str):
        raw = value.encode("utf-8") if isinstance(value, str) else value
        if b"-----BEGIN" not in raw[:MAX_PRIVATE_KEY_BYTES]:
            raise ConfigurationError(NOT_A_PEM)
    else:
        raise ConfigurationError(
            "revolut: private_key must be the PEM (bytes or text) or a pathlib.Path of a PEM "
            f"file, not {type(value).__name__}"
        )
    if len(raw) > MAX_PRIVATE_KEY_BYTES:
        raise ConfigurationError(f"revolut: the private key is over {MAX_PRIVATE_KEY_BYTES} bytes")
    try:
        return raw.decode("ascii")
    except UnicodeDecodeError:
        raise ConfigurationError("revolut: the private key is not PEM text") from None


def _protect(pem: str) -> None:
    # The whole key, and each of its lines, so that no part of it can reach a log.
    register_secret(pem)
    for line in pem.splitlines():
        if len(line) >= 16 and not line.startswith("-----"):
            register_secret(line)


@attrs.define(eq=False, kw_only=True)
class RevolutRefreshToken:
    """A token provider for Revolut's refresh flow; pass it as ``connect("revolut",
    token=RevolutRefreshToken(...))`` (or give ``connect`` the settings themselves).

    ``private_key`` is the PEM (bytes or text) or a ``pathlib.Path`` of the PEM file (a
    string is always the PEM itself, never a path) of the key whose
    certificate was uploaded in Revolut Business; ``issuer`` the redirect URI's domain,
    without scheme. The access token is cached with its expiry and refreshed
    ``margin`` seconds before it, or once after Revolut refuses it (401). One instance may
    be shared by threads: one refresh runs at a time, the others wait for its token.
    Needs the ``revolut-refresh`` extra (PyJWT[crypto]).
    """

    client_id: str
    refresh_token: str = secret_field()
    private_key: bytes | str | os.PathLike[str] = secret_field()  # noqa: RUF009 (an attrs field)
    issuer: str
    margin: float = REFRESH_MARGIN
    _pem: str = attrs.field(init=False, repr=False, eq=False)
    _lock: threading.Lock = attrs.field(init=False, repr=False, factory=threading.Lock)
    _token: str | None = attrs.field(init=False, default=None, repr=False)
    _expires_at: float = attrs.field(init=False, default=0.0, repr=False)
    refreshes: int = attrs.field(init=False, default=0)
    """Access tokens obtained so far (for a summary or a test)."""

    def __attrs_post_init__(self) -> None:
        for name in ("client_id", "refresh_token", "issuer"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise ConfigurationError(f"revolut: {name} must be a non-empty string")
        register_secret(self.refresh_token)
        self._pem = _read_private_key(self.private_key)
        _protect(self._pem)
        jwt = _jwt()
        try:
            jwt.algorithms.RSAAlgorithm(jwt.algorithms.RSAAlgorithm.SHA256).prepare_key(self._pem)
        except (ValueError, TypeError, jwt.exceptions.InvalidKeyError):
            raise ConfigurationError("revolut: private_key is not a PEM RSA private key") from None

    # ---- what the adapter calls -----------------------------------------------------------
    def access_token(self, request: TokenRequest, clock: Clock) -> str:
        """The cached access token, or a new one (``request`` sends the refresh) when it
        expires within ``margin`` seconds or was refused."""
        with self._lock:
            token = self.fresh_token(clock)
            if token is not None:
                return token
            # The token's life is counted from before the request: its time on the wire
            # is already spent.
            asked_at = clock.monotonic()
            return self.store(*request(lambda: self.refresh_form(clock.now())), asked_at)

    def fresh_token(self, clock: Clock) -> str | None:
        """The cached access token unless it expires within ``margin`` seconds or was
        refused (then ``None``: a refresh is due)."""
        if self._token is not None and clock.monotonic() < self._expires_at - self.margin:
            return self._token
        return None

    def last_token(self) -> str | None:
        """The access token obtained last, due or not (``None`` before the first)."""
        return self._token

    def store(self, token: str, lifetime: float, asked_at: float) -> str:
        """Keep ``token``, valid ``lifetime`` seconds from ``asked_at`` (monotonic)."""
        register_secret(token)
        self._token = token
        self._expires_at = asked_at + lifetime
        self.refreshes += 1
        return token

    def refused(self, token: str) -> None:
        """Revolut answered 401 to ``token``: forget it, so the next ask refreshes. A
        token already replaced (another thread refreshed first) is left alone."""
        with self._lock:
            if self._token == token:
                self._token = None

    def refresh_form(self, now: dt.datetime) -> dict[str, str]:
        """The fields of the refresh request, with a client assertion signed now."""
        return {
            "grant_type": GRANT_TYPE,
            "refresh_token": self.refresh_token,
            "client_id": self.client_id,
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": self.assertion(now),
        }

    def assertion(self, now: dt.datetime) -> str:
        """The client assertion: a JWT (RS256) with ``iss``, ``sub`` (the client id),
        ``aud`` (``https://revolut.com``) and ``exp``, signed by PyJWT."""
        expires = now + dt.timedelta(seconds=ASSERTION_LIFETIME)
        claims = {
            "iss": self.issuer,
            "sub": self.client_id,
            "aud": AUDIENCE,
            "exp": int(expires.timestamp()),
        }
        signed: str = _jwt().encode(claims, self._pem, algorithm="RS256")
        register_secret(signed)
        return signed


__all__ = [
    "ASSERTION_TYPE",
    "AUDIENCE",
    "EXTRA",
    "REFRESH_MARGIN",
    "RevolutRefreshToken",
    "TokenRequest",
]
