import logging

import pytest

from flowgen_core.redact import install_log_redaction, mask_text, register_secret


@pytest.mark.parametrize(
    ("raw", "leaked"),
    [
        ("postgresql://user:pa55word@host/db", "pa55word"),
        ("s3 key aws_secret_access_key=abcdEFGH1234", "abcdEFGH1234"),
        ('{"api_key": "xyz-987654"}', "xyz-987654"),
        ("Authorization: Bearer eyJhbGciOi.payload.sig", "eyJhbGciOi.payload.sig"),
        ("using sk-proj-AbCdEfGh12345 for the teacher", "sk-proj-AbCdEfGh12345"),
        ("token=ghp_1234567890abcdef", "ghp_1234567890abcdef"),
    ],
)
def test_mask_text(raw: str, leaked: str) -> None:
    masked = mask_text(raw)
    assert leaked not in masked
    assert "****" in masked


def test_plain_text_is_left_alone() -> None:
    text = "tag orders over 500 with vip; see https://example.com/path"
    assert mask_text(text) == text


def test_log_lines_never_show_registered_secrets(caplog: pytest.LogCaptureFixture) -> None:
    register_secret("opaque-value-without-shape")
    logger = logging.getLogger("flowgen.test")
    install_log_redaction(logger)
    with caplog.at_level(logging.INFO, logger="flowgen.test"):
        logger.info("connecting with %s", "opaque-value-without-shape")
        logger.info("db at postgresql://u:visible-pw@h/db")
    text = caplog.text
    assert "opaque-value-without-shape" not in text
    assert "visible-pw" not in text
    assert text.count("****") == 2
