"""Faithful simulators of the external systems (BC, Entra ID, Shopify, Stripe).

The product never imports this package: only tests, the demo command and benchmarks do.
Each simulator is a WSGI application that runs as a real HTTP(S) server on loopback
(:func:`simulators.server.serve`) or mounted in-process on a requests Session
(:class:`simulators.inprocess.WSGIAdapter`).
"""
