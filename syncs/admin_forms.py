"""Forms behind the support team's admin tools (backfill, relink)."""

from __future__ import annotations

from django import forms

from syncs.services.discovery import backfill_parameters


class BackfillOrdersForm(forms.Form):
    created_from = forms.DateTimeField(required=False, help_text="Orders created at or after (UTC).")
    created_to = forms.DateTimeField(required=False, help_text="Orders created before (UTC).")
    order_numbers = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Or shop order numbers, separated by spaces, commas or new lines (#1001 or 1001).",
    )

    override = forms.BooleanField(
        required=False,
        label="Run although the merchant has switched the orders flow off",
        help_text="Only when the merchant asked for it; the run is logged with your name.",
    )

    def clean(self):
        cleaned = super().clean()
        numbers = [n for n in cleaned.get("order_numbers", "").replace(",", " ").split() if n]
        cleaned["numbers"] = numbers
        if not numbers and not (cleaned.get("created_from") or cleaned.get("created_to")):
            raise forms.ValidationError("Give a date range or order numbers.")
        try:  # the same rules as the command: real order numbers, a start, an end after the start
            backfill_parameters(
                created_from=cleaned.get("created_from"), created_to=cleaned.get("created_to"), numbers=numbers
            )
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None
        return cleaned


class ItemRelinkForm(forms.Form):
    shop_product_id = forms.CharField(help_text="Shop product id, e.g. gid://shopify/Product/123")
    shop_variant_id = forms.CharField(
        required=False, help_text="Shop variant id (required for items without BC variants)."
    )
