# One date format on every Swedish page: the Swedish standard "2026-12-05 16:22" (settings.FORMAT_MODULE_PATH).
DATE_FORMAT = "Y-m-d"
SHORT_DATE_FORMAT = "Y-m-d"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
