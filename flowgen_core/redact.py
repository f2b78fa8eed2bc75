"""Secret masking: for printed settings and for every log line."""

from __future__ import annotations

import logging
import re

MASK = "****"

# scheme://user:password@host -> scheme://user:****@host
_URL_PASSWORD = re.compile(r"(?P<head>[a-zA-Z][a-zA-Z0-9+.\-]*://[^/\s:@]*:)(?P<pw>[^@\s/]+)(?=@)")
# key=value / key: value / "key": "value" where the key names a secret
_SECRET_ASSIGNMENT = re.compile(
    r"(?P<head>[\"']?[A-Za-z0-9_\-]*(?:password|passwd|secret|token|api[_-]?key|access[_-]?key)"
    r"[A-Za-z0-9_\-]*[\"']?\s*[:=]\s*[\"']?)(?P<val>[^\s\"',}&]+)",
    re.IGNORECASE,
)
# bearer tokens and well-known key shapes
_TOKEN_SHAPES = re.compile(
    r"(?:(?<=Bearer )[A-Za-z0-9._\-]{8,})|\bsk-[A-Za-z0-9_\-]{8,}|\bAKIA[0-9A-Z]{16}\b"
)

SECRET_FIELD_WORDS = ("password", "secret", "token", "key")


def is_secret_name(name: str) -> bool:
    """True when a setting or field name says it holds a secret."""
    lowered = name.lower()
    return any(word in lowered for word in SECRET_FIELD_WORDS)


def mask_text(text: str) -> str:
    """Mask passwords in URLs, secret assignments and token-shaped strings."""
    text = _URL_PASSWORD.sub(lambda m: m.group("head") + MASK, text)
    text = _SECRET_ASSIGNMENT.sub(lambda m: m.group("head") + MASK, text)
    return _TOKEN_SHAPES.sub(MASK, text)


_SECRET_VALUES: set[str] = set()


def register_secret(value: str | None) -> None:
    """Remember a secret value so that any log line containing it is masked."""
    if value and len(value) >= 4:
        _SECRET_VALUES.add(value)


def mask_known(text: str) -> str:
    """Mask registered secret values and secret-looking patterns."""
    for value in sorted(_SECRET_VALUES, key=len, reverse=True):
        text = text.replace(value, MASK)
    return mask_text(text)


class RedactingFilter(logging.Filter):
    """A logging filter that rewrites each record's message with secrets masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_known(message)
        if masked != message:
            record.msg = masked
            record.args = None
        return True


def install_log_redaction(logger: logging.Logger | None = None) -> None:
    """Attach the redacting filter to the logger and all of its handlers."""
    target = logger or logging.getLogger()
    for obj in [target, *target.handlers]:
        if not any(isinstance(f, RedactingFilter) for f in obj.filters):
            obj.addFilter(RedactingFilter())
