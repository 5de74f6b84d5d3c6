"""The spread timeline, drawn: appearances of a claim along time, one row per outlet.

Pure: no database, no request. ``draw`` takes the appearances (``Point``) and the day the
fact check was published and answers a ``Timeline`` — every coordinate of the SVG that
``spread/timeline.html`` writes out, the sentence that says it (``<title>``/``<desc>``)
and the rows of the table beside it (docs/architecture.md, "Claim spread").

- x is the appearance's day: the article's publication date, else the day it was imported
  (``dated`` False: drawn hollow, and the table says so). Appearances with neither are not
  drawn; the table lists them as "date unknown".
- One row per outlet, in the order of each outlet's first appearance; past ``MAX_ROWS``
  outlets the rest share one last row ("N other outlets").
- A mark's shape and colour both say its stance (``SHAPES``); its language is written
  under it. The earliest appearance is ringed and labelled "first".
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape  # the standard library's: Django's is lazy, and slower per call

from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

# The three stances: shape of the mark (a <symbol> id suffix) and its class.
SHAPES = {"asserts": "circle", "attributes": "square", "disputes": "triangle"}
MAX_ROWS = 16
WIDTH = 760
LEFT = 170  # outlet names
RIGHT = 30
TOP = 40  # the fact check's label, and the first mark's
ROW = 26
BOTTOM = 34  # the date axis
PLOT = WIDTH - LEFT - RIGHT
TICKS = 5
MAX_MARKS = 90  # past it, appearances close in time share a mark (and a row of the table)
NUDGE = 12  # px between marks that would fall on the same spot (their language labels too)
UNKNOWN_OUTLET = gettext_lazy("Unknown outlet")


@dataclass(slots=True)
class Point:
    """One appearance: a quote of the claim in an article."""

    outlet: str  # "" when unknown
    day: date | None  # where it is placed
    dated: bool  # True: the article's publication date; False: its import date
    language: str
    stance: str
    title: str = ""
    url: str = ""
    copy_of: str = ""  # a syndicated copy: the outlet of the article it copies


@dataclass(slots=True)
class Mark:
    x: float
    y: float
    point: Point  # the earliest it stands for
    stance_label: str
    first: bool = False
    count: int = 1  # appearances it stands for (more than one past MAX_MARKS)
    languages: str = ""  # theirs, when it stands for several
    last_day: date | None = None
    outlet: str = ""  # theirs, when it stands for several (the row's label)

    @property
    def shape(self) -> str:
        return SHAPES.get(self.point.stance, "circle")

    @property
    def stance(self) -> str:
        return self.point.stance if self.point.stance in SHAPES else "asserts"


@dataclass
class Row:
    y: float
    label: str
    full_label: str


@dataclass(slots=True)
class TableRow:
    point: Point
    when: str  # "4 Nov 2024", "imported 4 Dec 2026 (no publication date)", "date unknown"
    outlet: str
    language: str
    stance_label: str
    first: bool
    count: int = 1


@dataclass
class Timeline:
    width: int
    height: int
    rows: list[Row]
    marks: list[Mark]
    ticks: list[tuple[float, str]]
    axis_y: float
    table: list[TableRow]
    title: str
    description: str
    fact_check_x: float | None = None
    fact_check_label: str = ""
    aggregated: bool = False  # marks stand for several appearances (past MAX_MARKS)
    undrawn: int = 0  # appearances without any date
    estimated: int = 0  # placed by their import date
    counts: dict = field(default_factory=dict)

    @property
    def marks_svg(self) -> SafeString:
        """The marks, written here rather than in the template: a viral claim has hundreds,
        and a template loop costs a hundred times more per mark (bench/spread.py)."""
        return mark_safe("".join(_mark_svg(m) for m in self.marks))

    @property
    def table_html(self) -> SafeString:
        """The table's rows, written here for the same reason."""
        labels = _table_labels()
        return mark_safe("".join(_table_row(r, labels) for r in self.table))

    @property
    def fact_check_anchor(self) -> str:
        """Where the fact check's label sits against its line: kept inside the chart."""
        if self.fact_check_x is None or LEFT + 70 <= self.fact_check_x <= WIDTH - 70:
            return "middle"
        return "end" if self.fact_check_x > WIDTH - 70 else "start"


def day_label(day: date) -> str:
    """A short day in the active language: "4 Dec 2026", "4 гру 2026"."""
    return date_format(day, "j M Y")


def long_day(day: date) -> str:
    """A day in the active language's words: "4 December 2026", "4 грудня 2026 р."."""
    return date_format(day, "DATE_FORMAT")


def _imported(when: str) -> str:
    return _("imported %(when)s (no publication date)") % {"when": when}


def _span(m: Mark) -> str:
    p = m.point
    when = day_label(p.day)
    if m.last_day is not None and m.last_day != p.day:
        when = f"{when} – {day_label(m.last_day)}"
    return when if p.dated else _imported(when)


def _mark_svg(m: Mark) -> str:
    p = m.point
    classes = f"spread-mark spread-{m.stance}"
    if not p.dated:
        classes += " spread-estimated"
    outlet = m.outlet or p.outlet or str(UNKNOWN_OUTLET)
    language = m.languages or p.language
    title = f"{outlet}, {_span(m)}: {m.stance_label}"
    if m.count > 1:
        title = f"{outlet}, {_span(m)}: {m.count} × {m.stance_label}"
    elif p.copy_of:
        classes += " spread-copy"
        title += _(", a copy of %(outlet)s's article") % {"outlet": p.copy_of}
    if language:
        title += f" ({language})"
    first = ""
    if m.first:
        classes += " spread-first"
        title += _(", the first appearance")
        first_word = pgettext("the first appearance, under its mark", "first")
        first = (
            f'<circle class="spread-ring" cx="{m.x}" cy="{m.y}" r="10"/>'
            f'<text class="spread-first-label" x="{m.x}" y="{m.y - 12}" text-anchor="middle">'
            f"{escape(first_word)}</text>"
        )
    under = language + (f" ×{m.count}" if m.count > 1 else "")
    label = (
        f'<text class="spread-lang" x="{m.x}" y="{m.y + 15}">{escape(under)}</text>'
        if under
        else ""
    )
    if m.count > 1:  # larger for more, up to twice the size
        scale = round(min(2.0, 1 + (m.count - 1) ** 0.5 / 6), 2)
        use = f'<use href="#spread-{m.shape}" transform="translate({m.x} {m.y}) scale({scale})"/>'
    else:
        use = f'<use href="#spread-{m.shape}" x="{m.x}" y="{m.y}"/>'
    return (
        f'<g class="{classes}" data-count="{m.count}">'
        f"<title>{escape(title)}</title>{first}{use}{label}</g>"
    )


def _table_labels() -> tuple[str, ...]:
    """The table's column names for a phone's stacked rows, in the active language."""
    return tuple(escape(str(w)) for w in (_("Outlet"), _("Language"), _("Stance"), _("Article")))


def _table_row(r: "TableRow", labels: tuple[str, ...]) -> str:
    title = escape(r.point.title or _("Untitled article"))
    if r.point.url:
        rel = "" if r.point.url.startswith("/") else ' rel="nofollow noopener noreferrer"'
        title = f'<a href="{escape(r.point.url)}"{rel}>{title}</a>'
    if r.count > 1:
        title = escape(ngettext("%(n)d appearance", "%(n)d appearances", r.count) % {"n": r.count})
    elif r.point.copy_of:
        title += escape(_(" (a copy of %(outlet)s's article)") % {"outlet": r.point.copy_of})
    first = ""
    if r.first:
        first = " <strong>({})</strong>".format(escape(_("first")))
    return (
        f"<tr{' class="spread-first-row"' if r.first else ''}>"
        f'<td class="stack-head">{escape(r.when)}{first}</td>'
        f'<td data-label="{labels[0]}">{escape(r.outlet)}</td>'
        f'<td data-label="{labels[1]}">{escape(r.language or "—")}</td>'
        f'<td data-label="{labels[2]}">{escape(r.stance_label)}</td>'
        f'<td data-label="{labels[3]}">{title}</td></tr>'
    )


def _when(point: Point) -> str:
    if point.day is None:
        return _("date unknown")
    if point.dated:
        return day_label(point.day)
    return _imported(day_label(point.day))


def _first_index(points: list[Point]) -> int | None:
    placed = [(p.day, not p.dated, i) for i, p in enumerate(points) if p.day is not None]
    return min(placed)[2] if placed else None


def _scale(days: list[date]):
    start, end = min(days), max(days)
    pad = max(1, (end - start).days // 30)
    start, end = start - timedelta(days=pad), end + timedelta(days=pad)
    span = (end - start).days

    def x(day: date) -> float:
        return round(LEFT + (day - start).days / span * PLOT)

    step = max(1, round(span / TICKS))
    ticks = []
    day = start + timedelta(days=pad)
    while day <= end:
        ticks.append((x(day), day_label(day)))
        day += timedelta(days=step)
    return x, ticks


def _outlet_rows(points: list[Point], order: list[int]) -> tuple[dict[str, int], list[str]]:
    """Each outlet's row index (first appearance first) and the rows' labels."""
    outlets: list[str] = []
    for i in order:
        name = points[i].outlet or str(UNKNOWN_OUTLET)
        if name not in outlets:
            outlets.append(name)
    for p in points:  # undated appearances still name an outlet in the table
        name = p.outlet or str(UNKNOWN_OUTLET)
        if name not in outlets and p.day is not None:
            outlets.append(name)
    index = {}
    labels = outlets[:MAX_ROWS]
    if len(outlets) > MAX_ROWS:
        others = len(outlets) - MAX_ROWS + 1
        labels = outlets[: MAX_ROWS - 1] + [
            ngettext("%(n)d other outlet", "%(n)d other outlets", others) % {"n": others}
        ]
    for n, name in enumerate(outlets):
        index[name] = min(n, len(labels) - 1)
    return index, labels


def _shorten(text: str, length: int = 24) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _counts(points: list[Point]) -> dict:
    outlets = {p.outlet for p in points if p.outlet}
    disputed = {p.outlet for p in points if p.outlet and p.stance == "disputes"}
    return {
        "appearances": len(points),
        "outlets": len(outlets),
        "languages": len({p.language.lower() for p in points if p.language}),
        "disputed": len(disputed),
    }


def describe(points: list[Point], first: Point | None, fact_check_on: date | None) -> str:
    """The timeline in a sentence: "First carried by … on …; 7 outlets in 3 languages; 2
    disputed it." """
    counts = _counts(points)
    parts = []
    if first is not None:
        names = {"outlet": first.outlet or _("an unknown outlet"), "day": long_day(first.day)}
        if first.dated:
            parts.append(_("First carried by %(outlet)s on %(day)s") % names)
        else:
            parts.append(
                _(
                    "First carried by %(outlet)s, in an article without a publication date "
                    "imported on %(day)s"
                )
                % names
            )
    languages = ngettext("%(n)d language", "%(n)d languages", counts["languages"]) % {
        "n": counts["languages"]
    }
    parts.append(
        ngettext(
            "%(n)d outlet in %(languages)s", "%(n)d outlets in %(languages)s", counts["outlets"]
        )
        % {"n": counts["outlets"], "languages": languages}
    )
    if counts["disputed"]:
        parts.append(
            ngettext("%(n)d disputed it", "%(n)d disputed it", counts["disputed"])
            % {"n": counts["disputed"]}
        )
    else:
        parts.append(_("none disputed it"))
    sentence = "; ".join(parts) + "."
    if counts["appearances"] != counts["outlets"]:
        sentence += " " + (
            ngettext("%(n)d appearance in all.", "%(n)d appearances in all.", counts["appearances"])
            % {"n": counts["appearances"]}
        )
    if fact_check_on is not None:
        sentence += " " + (
            _("The fact check was published on %(day)s.") % {"day": long_day(fact_check_on)}
        )
    return sentence


def _groups(points: list[Point], order: list[int], row_of, x) -> dict[tuple, list[int]]:
    """The appearances each mark stands for, in date order: one each, up to MAX_MARKS;
    past it, those of one row, stance and kind of date within a stretch of the axis, the
    stretch doubled until the marks are at most MAX_MARKS."""
    if len(order) <= MAX_MARKS:
        return {(row_of(i), i, None, None): [i] for i in order}
    width = 4.0
    while True:
        groups: dict[tuple, list[int]] = {}
        for i in order:
            p = points[i]
            key = (row_of(i), int(x(p.day) // width), p.stance, p.dated)
            groups.setdefault(key, []).append(i)
        if len(groups) <= MAX_MARKS or width > PLOT:
            return groups
        width *= 2


def _mark(members: list[Point], *, row_label: str, **fields) -> Mark:
    first = members[0]
    if len(members) == 1:
        return Mark(point=first, **fields)
    outlets = {p.outlet or str(UNKNOWN_OUTLET) for p in members}
    languages = sorted({p.language for p in members if p.language})
    return Mark(
        point=first,
        count=len(members),
        languages=" ".join(languages),
        last_day=members[-1].day,
        outlet=outlets.pop() if len(outlets) == 1 else row_label,
        **fields,
    )


def _place(points, groups, x, rows, first_i, stance_labels) -> list[Mark]:
    """A mark per group, on its row at its middle appearance's day; marks that would fall
    on one spot of a row are nudged apart."""
    marks = []
    taken: dict[tuple[int, float], int] = {}
    for (row, *_rest), members in groups.items():
        p = points[members[0]]
        base = x(points[members[len(members) // 2]].day)
        k = taken.get((row, base), 0)
        taken[(row, base)] = k + 1
        marks.append(
            _mark(
                [points[i] for i in members],
                x=round(base + NUDGE * k),
                y=rows[row].y,
                row_label=rows[row].full_label,
                stance_label=stance_labels.get(p.stance, p.stance),
                first=first_i in members,
            )
        )
    return marks


def _table(points: list[Point], marks: list[Mark], stance_labels) -> list[TableRow]:
    """The table's rows: one per mark, then the appearances without any date."""
    drawn = [
        TableRow(
            point=m.point,
            when=_span(m),
            outlet=m.outlet or m.point.outlet or str(UNKNOWN_OUTLET),
            language=m.languages or m.point.language,
            stance_label=m.stance_label,
            first=m.first,
            count=m.count,
        )
        for m in marks
    ]
    undated = [
        TableRow(
            point=p,
            when=_when(p),
            outlet=p.outlet or str(UNKNOWN_OUTLET),
            language=p.language,
            stance_label=stance_labels.get(p.stance, p.stance),
            first=False,
        )
        for p in points
        if p.day is None
    ]
    return drawn + undated


def draw(
    points: list[Point], *, fact_check_on: date | None, stance_labels: dict[str, str]
) -> Timeline:
    """Lay out ``points`` (in any order) and the fact check's day on one time axis."""
    order = sorted(
        (i for i, p in enumerate(points) if p.day is not None),
        key=lambda i: (points[i].day, not points[i].dated, i),
    )
    first_i = _first_index(points)
    row_of, labels = _outlet_rows(points, order)
    rows = [
        Row(y=TOP + ROW * n + ROW // 2, label=_shorten(label), full_label=label)
        for n, label in enumerate(labels)
    ]
    axis_y = TOP + ROW * max(len(rows), 1) + 4
    days = [points[i].day for i in order] + ([fact_check_on] if fact_check_on else [])
    marks, ticks, fact_x = [], [], None
    if days:
        x, ticks = _scale(days)
        row_index = {i: row_of[points[i].outlet or str(UNKNOWN_OUTLET)] for i in order}
        marks = _place(points, _groups(points, order, row_index.get, x), x, rows, first_i,
                       stance_labels)  # fmt: skip
        fact_x = x(fact_check_on) if fact_check_on else None
    first = points[first_i] if first_i is not None else None
    table = _table(points, marks, stance_labels)
    return Timeline(
        width=WIDTH,
        height=int(axis_y + BOTTOM),
        rows=rows,
        marks=marks,
        ticks=ticks,
        axis_y=axis_y,
        table=table,
        title=_("Where and when the claim appeared, by outlet"),
        description=describe(points, first, fact_check_on),
        fact_check_x=fact_x,
        fact_check_label=(
            _("Fact check %(day)s") % {"day": day_label(fact_check_on)} if fact_check_on else ""
        ),
        aggregated=any(m.count > 1 for m in marks),
        undrawn=len(points) - len(order),
        estimated=sum(1 for i in order if not points[i].dated),
        counts=_counts(points),
    )
