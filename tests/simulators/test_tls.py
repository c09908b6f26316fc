from simulators.tls import loopback_certificate_reuse_or_make, make_loopback_certificate


def test_a_valid_certificate_is_reused(tmp_path):
    first = make_loopback_certificate(tmp_path)
    pem = first.cert_file.read_bytes()

    again = loopback_certificate_reuse_or_make(tmp_path)

    assert again.cert_file.read_bytes() == pem
    again.server_context()  # loads


def test_a_broken_certificate_is_replaced(tmp_path):
    make_loopback_certificate(tmp_path)
    (tmp_path / "loopback-cert.pem").write_text("not a certificate")

    fresh = loopback_certificate_reuse_or_make(tmp_path)

    assert fresh.cert_file.read_bytes().startswith(b"-----BEGIN CERTIFICATE-----")
    fresh.server_context()


def test_a_missing_certificate_is_made(tmp_path):
    made = loopback_certificate_reuse_or_make(tmp_path / "new")
    assert made.cert_file.exists() and made.key_file.exists()
