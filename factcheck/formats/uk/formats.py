"""Ukrainian dates: the month in the genitive, as a newsroom writes it: "4 грудня 2026 р.",
"4 грудня 2026 р., 14:05 UTC" (Django's own say "04 грудня 2026 р."); Django's other
Ukrainian formats apply (django.conf.locale.uk.formats comes after this module)."""

DATE_FORMAT = "j E Y р."
DATETIME_FORMAT = "j E Y р., H:i e"
