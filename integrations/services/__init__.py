"""Services of the integrations app, split by sub-domain; import from the submodules."""
