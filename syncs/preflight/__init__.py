"""Preflight: a health check of an integration's Business Central setup.

run = preflight_run(integration_id=..., trigger="manual")
if preflight_blocking_failures(run): ...
"""
