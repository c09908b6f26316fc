"""Connectors: the only code that speaks a vendor's wire protocol.

One package per system (``businesscentral``, ...). Each turns vendor JSON into typed records
(dataclasses) and back and raises its own exception hierarchy, so nothing outside a connector
imports ``requests`` or knows a URL.
"""
