"""Services of the syncs app, split by sub-domain; import from the submodules."""
