"""On-premises Business Central: URL shapes, HTTP Basic with a web service access key, no environments list.

The client runs unchanged against the simulator's on-premises instance over real HTTP on loopback.
"""

import base64
import logging

import pytest

from integrations.connectors.businesscentral import (
    BCAccessKeyRejected,
    BCAuthError,
    BusinessCentralClient,
    RetryPolicy,
    WebServiceAccessKey,
    client_for_connection,
)
from integrations.connectors.businesscentral.endpoints import (
    on_premises_endpoint,
    on_premises_root_normalise,
    online_endpoint,
)
from integrations.models import BusinessCentralConnection

COMPANY = "CRONUS Sverige AB"
USER = "WEBSHOP"
KEY = "Zk3n8Qm1Lr5Tx9Vb2Wc7Yd4Ae6Gh0Jp+sUo/ReKtNiM="


def test_online_and_on_premises_url_shapes():
    online = online_endpoint(root="https://api.businesscentral.dynamics.com/", tenant_id="t-1", environment="Sandbox")
    on_premises = on_premises_endpoint(root="https://bc.contoso.com:7048/BC/")

    assert online.api_url == "https://api.businesscentral.dynamics.com/v2.0/t-1/Sandbox/api/v2.0"
    assert online.odata_url == "https://api.businesscentral.dynamics.com/v2.0/t-1/Sandbox/ODataV4"
    assert online.environments_url == "https://api.businesscentral.dynamics.com/environments/v1.2"
    assert on_premises.api_url == "https://bc.contoso.com:7048/BC/api/v2.0"
    assert on_premises.odata_url == "https://bc.contoso.com:7048/BC/ODataV4"
    assert on_premises.environments_url is None
    assert on_premises.environment == "default"


@pytest.mark.parametrize(
    "pasted",
    [
        "https://bc.contoso.com:7048/BC",
        "https://bc.contoso.com:7048/BC/",
        "https://bc.contoso.com:7048/BC/api/v2.0",
        "https://bc.contoso.com:7048/BC/api/v2.0/companies(5f0c9e8a-0000-0000-0000-000000000001)/items",
        "https://bc.contoso.com:7048/BC/ODataV4/Company('CRONUS%20Sverige%20AB')/Customer?$format=json",
        "HTTPS://bc.contoso.com:7048/BC/WS/CRONUS/Page/Customer",
    ],
)
def test_pasted_api_and_odata_urls_become_the_server_instance(pasted):
    assert on_premises_root_normalise(pasted) == "https://bc.contoso.com:7048/BC"


def test_a_proxy_path_before_the_instance_is_kept():
    assert on_premises_root_normalise("https://erp.contoso.com/bc/BC250/api/v2.0") == "https://erp.contoso.com/bc/BC250"


def test_access_key_header_is_basic_and_its_repr_hides_the_key():
    credentials = WebServiceAccessKey(username=USER, access_key=KEY)
    authorization = credentials()

    assert authorization.header == "Basic " + base64.b64encode(f"{USER}:{KEY}".encode()).decode()
    assert KEY not in repr(credentials) and KEY not in repr(authorization)


@pytest.mark.parametrize(("username", "key"), [("", KEY), (USER, ""), ("A:B", KEY), ("Åsa", KEY), (USER, "nyckel ö")])
def test_access_key_refuses_what_basic_authentication_cannot_carry(username, key):
    with pytest.raises(ValueError):
        WebServiceAccessKey(username=username, access_key=key)


@pytest.fixture
def on_premises(bc_server):
    instance = bc_server.sim.add_on_premises_instance("BC", environment="sandbox")
    bc_server.sim.add_access_key(USER, KEY)
    return f"{bc_server.base_url}{instance}"


def _client(root, *, key=KEY, **options):
    return BusinessCentralClient(
        api_root=root,
        on_premises=True,
        credentials=WebServiceAccessKey(username=USER, access_key=key),
        retry_policy=RetryPolicy(max_attempts=1),
        timeout=(2.0, 10.0),
        **options,
    )


def test_on_premises_client_reads_api_and_odata_pages_with_the_access_key(bc_server, on_premises):
    company_id = bc_server.sim.company_id("sandbox", COMPANY)
    client = _client(on_premises, company_id=company_id, company_name=COMPANY)

    companies = client.list_companies()
    setup = client.general_ledger_setup()
    vat = client.vat_posting_setup()
    environments = client.list_environments()

    assert COMPANY in [c.name for c in companies]
    assert setup.local_currency_code == "SEK"
    assert vat
    assert [e.name for e in environments] == ["default"]
    paths = [entry.path for entry in bc_server.sim.request_log]
    assert paths[0] == "/BC/api/v2.0/companies"
    assert any(p.startswith("/BC/ODataV4/Company(") for p in paths)
    assert not any("environments" in p or p.startswith("/v2.0/") for p in paths)  # no admin center, no online shape
    assert {entry.principal for entry in bc_server.sim.request_log} == {USER}


def test_a_wrong_access_key_is_refused_and_never_shown(bc_server, on_premises, caplog):
    caplog.set_level(logging.DEBUG, logger="integrations.connectors.businesscentral")
    client = _client(on_premises, key="not-the-key")

    with pytest.raises(BCAccessKeyRejected) as caught:
        client.list_companies()

    assert caught.value.status == 401
    assert "not-the-key" not in str(caught.value) and "not-the-key" not in caplog.text
    assert base64.b64encode(f"{USER}:not-the-key".encode()).decode() not in caplog.text


def test_bc_online_refuses_basic_authentication(bc_server, on_premises):
    online = BusinessCentralClient(
        api_root=bc_server.base_url,
        tenant_id=bc_server.sim.tenant_id,
        environment="sandbox",
        credentials=WebServiceAccessKey(username=USER, access_key=KEY),
        retry_policy=RetryPolicy(max_attempts=1),
    )

    with pytest.raises(BCAuthError):
        online.list_companies()


def test_client_for_an_on_premises_connection(bc_server, on_premises):
    connection = BusinessCentralConnection(
        deployment=BusinessCentralConnection.Deployment.ON_PREMISES,
        on_premises_root=on_premises + "/api/v2.0",
        environment_name="default",
        entra_tenant_id="ignored-on-premises",
        company_id=bc_server.sim.company_id("sandbox", COMPANY),
        company_name=COMPANY,
    )

    client = client_for_connection(connection, credentials=WebServiceAccessKey(username=USER, access_key=KEY))

    assert client.api_url == f"{on_premises}/api/v2.0"
    assert client.company_information().currency_code == "SEK"
    assert KEY not in repr(client)


def test_the_transport_takes_one_way_to_authenticate():
    with pytest.raises(ValueError):
        BusinessCentralClient(api_root="https://bc.example", on_premises=True)
    with pytest.raises(ValueError):
        BusinessCentralClient(
            api_root="https://bc.example",
            on_premises=True,
            token_provider=lambda: "t",
            credentials=WebServiceAccessKey(username=USER, access_key=KEY),
        )
