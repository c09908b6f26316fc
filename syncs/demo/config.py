"""Where the demo keeps its files and the environment that points every demo process at them."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings

# Fixed defaults so bookmarks keep working between runs; every one can be changed (0 = any free port).
DEFAULT_PORTS = {
    "port": 8000,
    "bc_port": 8101,
    "identity_port": 8102,
    "shopify_port": 8103,
    "stripe_port": 8104,
    "woo_port": 8105,
    "klarna_port": 8106,
    "adyen_port": 8107,
}
DEMO_MARKER = "JBC_DEMO_VAR_DIR"  # set in the environment of every process the demo runs

SUPPORT_USERNAME = "support"
SUPPORT_PASSWORD = "support-demo-1"
MERCHANT_USERNAME = "merchant@demo-shop.example"
MERCHANT_PASSWORD = "merchant-demo-1"
MERCHANT_ORGANISATION = "Demo Shop AB"
INTEGRATION_NAME = "Demo Shop -> CRONUS Sverige AB"
SHOP_DOMAIN = "demo-shop.myshopify.com"
SHOP_ACCESS_TOKEN = "shpat_demo_0123456789abcdef"
# The WooCommerce store's REST API key (what WooCommerce > Settings > Advanced > REST API shows once).
WOO_CONSUMER_KEY = "ck_demo_0123456789abcdef0123456789abcdef"
WOO_CONSUMER_SECRET = "cs_demo_fedcba9876543210fedcba9876543210"
# The product as a Shopify app: the simulator knows it by this client id and secret.
SHOPIFY_CLIENT_ID = "demo-shopify-client-id"
SHOPIFY_CLIENT_SECRET = "demo-shopify-client-secret"  # noqa: S105 - the demo's simulated app
MICROSOFT_USERNAME = "admin@contoso.example"
MICROSOFT_PASSWORD = "Passw0rd!"  # the identity simulator's seeded users all have this password
# The product's app registration in the identity simulator (a real tenant admin would create it).
ENTRA_CLIENT_ID = "5d1c7e0a-9b4f-4a7e-8c2d-3e6f1a0b9c8d"
ENTRA_CLIENT_SECRET = "demo-client-secret"
STRIPE_SECRET_KEY = "sk_test_simulated_key_123"  # the Stripe simulator's account key
# Flow schedules of the demo integration tick every minute (production default: 15 minutes).
DEMO_INTERVAL_MINUTES = 1
# The BC payment journal batch (and general journal batch) payouts are booked in.
PAYMENT_JOURNAL_BATCH = "SHOPIFY"
# The demo shop's Shopify Payments fee per card payment: 1.8 % + 1.80 SEK.
PAYOUT_FEE_RATE = Decimal("0.018")
PAYOUT_FIXED_FEE = Decimal("1.80")
# Klarna and Adyen (one market, Sweden): the simulators' fixed credentials and the demo's fees.
KLARNA_USERNAME = "K100001_5c7a9e0b1d2f"
KLARNA_PASSWORD = "klarna_sim_password"  # noqa: S105 - the Klarna simulator's account
ADYEN_MERCHANT_ACCOUNT = "JunipeerSE"
ADYEN_REPORT_USER = "report_123456@Company.JunipeerCompany"
ADYEN_REPORT_PASSWORD = "adyen_sim_report_password"  # noqa: S105 - the Adyen simulator's report user
ADYEN_HMAC_KEY = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056"  # Adyen's test key
KLARNA_FEE = Decimal("9.90")
ADYEN_COMMISSION = Decimal("2.95")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class DemoConfig:
    var_dir: Path
    port: int
    bc_port: int
    identity_port: int
    shopify_port: int
    stripe_port: int
    woo_port: int
    klarna_port: int = 0
    adyen_port: int = 0
    extra_env: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_options(cls, options: dict) -> DemoConfig:
        var_dir = Path(options.get("var_dir") or Path(settings.BASE_DIR) / "var").resolve()
        ports = {name: options.get(name) for name in DEFAULT_PORTS}
        ports = {name: (default if ports[name] is None else ports[name]) for name, default in DEFAULT_PORTS.items()}
        # 0 = a free port, chosen once here so every process agrees on it.
        ports = {name: value or free_port() for name, value in ports.items()}
        return cls(var_dir=var_dir, **ports)

    # --- files ----------------------------------------------------------------------------------
    @property
    def database(self) -> Path:
        return self.var_dir / "demo.sqlite3"

    @property
    def key_file(self) -> Path:
        return self.var_dir / "demo-field-encryption.key"

    @property
    def tls_dir(self) -> Path:
        return self.var_dir / "demo-tls"

    @property
    def cert_file(self) -> Path:
        return self.tls_dir / "loopback-cert.pem"

    # --- URLs -----------------------------------------------------------------------------------
    @property
    def site_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def bc_url(self) -> str:
        return f"http://127.0.0.1:{self.bc_port}"

    @property
    def identity_url(self) -> str:
        return f"https://localhost:{self.identity_port}"  # msal wants https; the certificate names localhost

    @property
    def shopify_url(self) -> str:
        return f"http://127.0.0.1:{self.shopify_port}"

    @property
    def stripe_url(self) -> str:
        return f"http://127.0.0.1:{self.stripe_port}"

    @property
    def woo_url(self) -> str:
        return f"https://localhost:{self.woo_port}"  # WooCommerce takes its key over https only

    @property
    def klarna_url(self) -> str:
        return f"http://127.0.0.1:{self.klarna_port}"

    @property
    def adyen_url(self) -> str:
        return f"http://127.0.0.1:{self.adyen_port}"


def field_key_ensure(path: Path) -> str:
    """The demo's Fernet key: made once and kept, so a ``--keep`` database stays readable."""
    if path.exists():
        return path.read_text().strip()
    from cryptography.fernet import Fernet

    path.parent.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key().decode()
    path.write_text(key + "\n")
    path.chmod(0o600)
    return key


def demo_environment(config: DemoConfig) -> dict[str, str]:
    """What the demo's processes (this one after re-exec, runserver, qcluster) run with.

    Explicit values win over a developer's .env (the real environment always does), so the demo
    never touches another database, broker or BC by accident.
    """
    key = field_key_ensure(config.key_file)
    return {
        DEMO_MARKER: str(config.var_dir),
        "DJANGO_SETTINGS_MODULE": "junipeer_bc.settings",
        "DJANGO_DEBUG": os.environ.get("DJANGO_DEBUG", "1"),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": config.site_url,
        "DATABASE_URL": f"sqlite:///{config.database}",
        "SQLITE_PATH": str(config.database),
        "REDIS_URL": "",
        "Q_SYNC": "false",
        "Q_WORKERS": "2",
        "FIELD_ENCRYPTION_KEYS": key,
        "EMAIL_URL": "consolemail://",
        "BC_API_ROOT": config.bc_url,
        "ENTRA_AUTHORITY_HOST": config.identity_url,
        "ENTRA_CA_BUNDLE": str(config.cert_file),
        "ENTRA_CLIENT_ID": ENTRA_CLIENT_ID,
        "ENTRA_CLIENT_SECRET": ENTRA_CLIENT_SECRET,
        "SHOPIFY_API_ROOT": config.shopify_url,
        "SHOPIFY_CLIENT_ID": SHOPIFY_CLIENT_ID,
        "SHOPIFY_CLIENT_SECRET": SHOPIFY_CLIENT_SECRET,
        "STRIPE_API_BASE": config.stripe_url,
        "KLARNA_API_ROOT": config.klarna_url,
        "ADYEN_REPORTS_ROOT": config.adyen_url,
        "KLARNA_RETRY_BASE_DELAY": "0.2",
        "ADYEN_RETRY_BASE_DELAY": "0.2",
        # The WooCommerce store serves https on localhost with the demo's certificate; support would
        # allow-list a store on a private network the same way.
        "WOO_CA_BUNDLE": str(config.cert_file),
        "OUTBOUND_HOST_ALLOWLIST": "localhost",
        # The simulators answer quickly: a short retry backoff keeps the demo lively.
        "BC_RETRY_BASE_DELAY": "0.2",
        **config.extra_env,
    }
