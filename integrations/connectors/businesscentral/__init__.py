"""Business Central connector (API v2.0, ODataV4 pages, the environments list), online and on-premises.

    client = client_for_connection(connection, token_provider=lambda: access_token)
    for customer in client.iter_records(entities.CUSTOMERS, filter=odata.eq("email", email)):
        ...

See client.py for the operations, transport.py for the retry policy, exceptions.py for errors.
"""

from integrations.connectors.businesscentral import entities, odata
from integrations.connectors.businesscentral.batch import BatchOperation, BatchResult
from integrations.connectors.businesscentral.client import BusinessCentralClient
from integrations.connectors.businesscentral.credentials import BearerToken, WebServiceAccessKey
from integrations.connectors.businesscentral.exceptions import (
    BCAccessKeyRejected,
    BCAmbiguousWriteError,
    BCAuthError,
    BCConflict,
    BCError,
    BCNotFound,
    BCPagingLimitExceeded,
    BCServerError,
    BCThrottled,
    BCTimeout,
    BCTransportError,
    BCValidationError,
    PageNotPublished,
)
from integrations.connectors.businesscentral.factory import client_for_connection
from integrations.connectors.businesscentral.transport import ClientStats, RetryPolicy

__all__ = [
    "BCAccessKeyRejected",
    "BCAmbiguousWriteError",
    "BCAuthError",
    "BCConflict",
    "BCError",
    "BCNotFound",
    "BCPagingLimitExceeded",
    "BCServerError",
    "BCThrottled",
    "BCTimeout",
    "BCTransportError",
    "BCValidationError",
    "BatchOperation",
    "BatchResult",
    "BearerToken",
    "BusinessCentralClient",
    "ClientStats",
    "PageNotPublished",
    "RetryPolicy",
    "WebServiceAccessKey",
    "client_for_connection",
    "entities",
    "odata",
]
