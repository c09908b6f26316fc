import base64
import hashlib
import hmac

from integrations.connectors.shopify import webhook_signature, webhook_verify

SECRET = "whsec-test-1"
BODY = b'{"id": 1001, "name": "#1001"}'


def _sign(body: bytes, secret: str = SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def test_good_signature_verifies():
    assert webhook_signature(raw_body=BODY, secret=SECRET) == _sign(BODY)
    assert webhook_verify(raw_body=BODY, hmac_header=_sign(BODY), secret=SECRET, max_bytes=1000)


def test_signature_of_another_body_or_secret_fails():
    assert not webhook_verify(raw_body=BODY + b" ", hmac_header=_sign(BODY), secret=SECRET, max_bytes=1000)
    assert not webhook_verify(raw_body=BODY, hmac_header=_sign(BODY, "other"), secret=SECRET, max_bytes=1000)
    assert not webhook_verify(raw_body=BODY, hmac_header="not-base64!", secret=SECRET, max_bytes=1000)


def test_missing_header_or_secret_never_verifies():
    assert not webhook_verify(raw_body=BODY, hmac_header="", secret=SECRET, max_bytes=1000)
    assert not webhook_verify(raw_body=BODY, hmac_header=_sign(BODY, ""), secret="", max_bytes=1000)


def test_body_over_the_size_cap_is_refused_even_when_signed():
    assert not webhook_verify(raw_body=BODY, hmac_header=_sign(BODY), secret=SECRET, max_bytes=len(BODY) - 1)
    assert webhook_verify(raw_body=BODY, hmac_header=_sign(BODY), secret=SECRET, max_bytes=len(BODY))
