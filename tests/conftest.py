"""Shared fixtures. Simulators are started here; the product never imports them."""
