# One date format on every English page: day, month name, year and a 24-hour time ("5 Dec 2026, 16:22"),
# never the US month/day order. Dates and date-times alike (settings.FORMAT_MODULE_PATH).
DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
