"""``{{ payout.provider|gateway_label }}``: a gateway's or provider's name instead of its code."""

from __future__ import annotations

from django import template

from integrations.labels import gateway_label as _gateway_label

register = template.Library()


@register.filter
def gateway_label(code: str) -> str:
    return _gateway_label(code)
