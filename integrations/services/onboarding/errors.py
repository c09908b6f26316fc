"""What a wizard step raises: the message tells the merchant what to do next."""

from __future__ import annotations


class OnboardingError(Exception):
    """A step cannot be completed; the message tells the merchant what to do."""


class CompanyAlreadyConnected(OnboardingError):
    pass


class ConfirmationRequired(OnboardingError):
    """Going live on Production without a successful Sandbox test needs an explicit yes."""


class PreflightBlocked(OnboardingError):
    """The health check found problems that would make syncs fail; the merchant fixes them first."""

    def __init__(self, message: str, *, preflight_run_id: int, failures: list) -> None:
        super().__init__(message)
        self.preflight_run_id = preflight_run_id
        self.failures = failures
