"""A published revision's appearances as pages draw them: the desk (a merge's kept
revisions, docs/architecture.md, "Merging") and the public app (its pages, feed and API)
read the same frozen JSON the same way, so its shape is defined here, once, on the side
that writes it (claims.services.publishing.snapshot)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Func, IntegerField, JSONField
from django.utils.translation import pgettext_lazy

from claims.models import Stance

# Appearances shown on a fact check's page before "show all": a viral claim's page stays small.
APPEARANCES_SHOWN = 25

# Reader-facing wording of the stances (the desk's words are jargon to readers).
STANCE_WORDS = {
    Stance.ASSERTS: pgettext_lazy("stance, for readers", "Repeats the claim"),
    Stance.ATTRIBUTES: pgettext_lazy("stance, for readers", "Reports who said it"),
    Stance.DISPUTES: pgettext_lazy("stance, for readers", "Disputes the claim"),
}


@dataclass
class Appearance:
    outlet: str
    title: str
    published_on: date | None
    url: str
    language: str
    quotes: list[dict]  # {"quote", "stance", "stance_label"}
    copy_of: str = ""  # a syndicated copy: the outlet it copies


def appearance(entry: dict) -> Appearance:
    """One entry of a revision's ``appearances``, as pages show it."""
    quotes = [
        {**q, "stance_label": STANCE_WORDS.get(q["stance"], q["stance"])} for q in entry["quotes"]
    ]
    published_on = entry.get("published_on")
    return Appearance(
        outlet=entry.get("outlet") or "",
        title=entry.get("title") or "",
        published_on=date.fromisoformat(published_on) if published_on else None,
        url=entry.get("url") or "",
        language=entry.get("language") or "",
        quotes=quotes,
        copy_of=entry.get("copy_of") or "",
    )


class _JSONSlice(Func):
    """Entries ``start`` to ``stop`` (excluded) of a JSON array column, cut by the database:
    a viral claim's appearances are megabytes of JSON, and a page shows a few of them."""

    output_field = JSONField()
    template = (  # SQLite
        "(SELECT json_group_array(json(value)) FROM json_each(%(expressions)s)"
        " WHERE key >= %%s AND key < %%s)"
    )

    def __init__(self, expression, start: int, stop: int):
        super().__init__(expression)
        self.start, self.stop = int(start), int(stop)

    def as_sql(self, compiler, connection, **extra):
        sql, params = super().as_sql(compiler, connection, **extra)
        return sql, (*params, self.start, self.stop)

    def as_postgresql(self, compiler, connection):
        template = "jsonb_path_query_array(%(expressions)s, %%s::jsonpath)"
        sql, params = Func.as_sql(self, compiler, connection, template=template)
        return sql, (*params, f"$[{self.start} to {self.stop - 1}]")


class JSONLength(Func):
    """The number of entries of a JSON array column, counted by the database."""

    output_field = IntegerField()
    function = "json_array_length"

    def as_postgresql(self, compiler, connection):
        return self.as_sql(compiler, connection, function="jsonb_array_length")
