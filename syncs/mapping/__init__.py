"""Pure mapping: a Shopify order + the integration's settings -> the BC document to create.

Nothing here talks to a network or (except ``settings.mapping_settings_load``) to the database,
so every accounting rule is unit-tested on plain dataclasses.
"""
