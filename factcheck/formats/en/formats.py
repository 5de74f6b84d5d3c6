"""English dates as the site has always written them: "4 December 2026", "4 December 2026,
14:05 UTC" (Django's own English formats say "Dec. 4, 2026")."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i e"
