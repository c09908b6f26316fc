"""The error-code catalogue: every error the product reports, with cause and remedy.

from syncs.errors import ProductError, classify_exception, get_error
raise ProductError("MAP-001", sku="X")
"""

from syncs.errors.classify import (
    classify_bc_error,
    classify_exception,
    classify_shop_error,
    classify_signin_error,
    problems_error,
    strip_correlation_id,
)
from syncs.errors.product_error import ProductError
from syncs.errors.registry import UnknownErrorCode, all_errors, find_error, get_error
from syncs.errors.types import CODE_PATTERN, CODE_RE, Category, ClassifiedError, ErrorEntry, Severity

__all__ = [
    "CODE_PATTERN",
    "CODE_RE",
    "Category",
    "ClassifiedError",
    "ErrorEntry",
    "ProductError",
    "Severity",
    "UnknownErrorCode",
    "all_errors",
    "classify_bc_error",
    "classify_exception",
    "classify_shop_error",
    "classify_signin_error",
    "find_error",
    "get_error",
    "problems_error",
    "strip_correlation_id",
]
