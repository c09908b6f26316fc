from django.apps import AppConfig


class SyncsConfig(AppConfig):
    name = "syncs"
    verbose_name = "Syncs"

    def ready(self) -> None:
        # The admin autodiscovers only syncs/admin.py; the sub-packages' admin modules extend it
        # (payouts re-registers Payout with the reconciliation additions), so they load after it.
        from syncs.payouts import admin as _payouts_admin  # noqa: F401
        from syncs.preflight import admin as _preflight_admin  # noqa: F401
