# N: the abbreviated month with its full stop where French writes one ("déc.", "mai").
DATE_FORMAT = "j N Y"
DATETIME_FORMAT = "j N Y H:i"
MONTH_DAY_FORMAT = "j N"
YEAR_MONTH_FORMAT = "F Y"
SHORT_DATE_FORMAT = "j F Y"
SHORT_DATETIME_FORMAT = "j N, H:i"
