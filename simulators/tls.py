"""A throwaway self-signed certificate for serving a simulator over TLS on loopback.

msal insists on https authorities, so the identity simulator needs TLS. The certificate is made
at start-up with the cryptography package (SANs localhost and 127.0.0.1) and written to a
temporary folder; clients trust exactly that file.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


@dataclass(frozen=True)
class LoopbackCertificate:
    cert_file: Path
    key_file: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_file, self.key_file)
        return context


def make_loopback_certificate(directory: Path | None = None) -> LoopbackCertificate:
    directory = Path(directory or tempfile.mkdtemp(prefix="sim-tls-"))
    directory.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file = directory / "loopback-cert.pem"
    key_file = directory / "loopback-key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return LoopbackCertificate(cert_file=cert_file, key_file=key_file)


def loopback_certificate_reuse_or_make(directory: Path) -> LoopbackCertificate:
    """The certificate already in ``directory`` while it is valid for another day, else a new one.

    Reusing it lets a person accept the browser's warning once, not on every demo start.
    """
    directory = Path(directory)
    existing = LoopbackCertificate(cert_file=directory / "loopback-cert.pem", key_file=directory / "loopback-key.pem")
    if existing.cert_file.exists() and existing.key_file.exists():
        try:
            cert = x509.load_pem_x509_certificate(existing.cert_file.read_bytes())
            if cert.not_valid_after_utc > dt.datetime.now(dt.UTC) + dt.timedelta(days=1):
                existing.server_context()  # the key still matches
                return existing
        except (ValueError, ssl.SSLError):
            pass
    return make_loopback_certificate(directory)
