"""Page furniture in an imported text file: what a saved page carries around the article —
share and print buttons, "Follow us on …", a view counter, a photo's caption and credit run
into the first paragraph — kept out of the article's body (docs/architecture.md,
"Importing"). The file's text as it arrived stays whole in ``Article.source_text``.

Cautious, like ``articles.extract.article_body``: a line goes only when the whole line is
furniture (a sentence that mentions sharing or printing stays), a caption only with its
credit beside it at the top, a footer only from a share/print/follow line on where nothing
after it is prose; and a body that would be left empty is kept as it was. Labelled examples
in several outlets' shapes, English, Ukrainian and Russian: tests/articles/test_furniture.py.
"""

import re

_BULLETS = " \t•·|*#>–—-:"
_WORDS_MAX = 12  # a furniture line is short
_FOOTER_LINE_MAX = 120  # what follows a footer's first line: short lines only

_SOCIAL = (
    r"facebook|twitter|x|telegram|whatsapp|viber|linkedin|instagram|youtube|tiktok|threads|"
    r"bluesky|mastodon|reddit|email|e-mail|pinterest|flipboard|vk|vkontakte|вконтакте|"
    r"однокласники|одноклассники|телеграм|телеграмі|фейсбук|ютуб|pocket|messenger|mail"
)
# Whole lines (after bullets and separators are stripped), case-insensitive.
_FURNITURE = re.compile(
    "|".join(
        [
            # English
            r"(?:share-\w+\s*)?(?:liked the story\?\s*)?share(?: this| the)?"
            r"(?: article| story| post| page| news)?(?: it)?(?: on| via| to)?"
            rf"(?: social media| (?:{_SOCIAL}))?[.!]?",
            rf"(?:share|tweet|email|e-mail|print|copy link|link copied|save|comments?)"
            rf"(?:\s*[|/,·•]?\s*(?:share|tweet|email|e-mail|print|copy link|save|{_SOCIAL}))*",
            r"print(?: this)?(?: article| page| story)?|print version",
            r"printer[- ]friendly(?: version)?",
            rf"follow us(?: on| in)?(?: (?:{_SOCIAL}|google news|social media))"
            r"(?:[\s,&]+(?:and\s+)?\S+){0,6}[.!]?",
            r"subscribe to (?:our|the) (?:newsletter|telegram channel|channel)(?:\s+\S+){0,6}[.!]?",
            r"(?:views|reads)\s*:?\s*[\d\s,.]+",
            # Ukrainian
            rf"поділитися(?: (?:в|у|на) (?:{_SOCIAL}|соцмережах|соціальних мережах))?[.!]?",
            r"поділіться(?: новиною| статтею)?(?: у| в)? ?"
            r"(?:соцмережах|соціальних мережах)?[.!]?",
            r"друк|друкувати|роздрукувати|версія для друку",
            r"посилання скопійовано|копіювати посилання",
            rf"(?:стежте|слідкуйте) за нами (?:в|у|на) (?:{_SOCIAL}|соцмережах)"
            r"(?:\s+\S+){0,6}[.!]?",
            rf"(?:підписуйтесь|підписуйтеся|читайте нас|приєднуйтесь|приєднуйтеся)"
            rf"(?: на (?:нас|наш (?:телеграм-)?канал))?(?: (?:в|у|на) (?:{_SOCIAL}))?"
            r"(?:\s+\S+){0,6}[.!]?",
            r"переглядів\s*:?\s*[\d\s]+|[\d\s]+ переглядів",
            # Russian
            rf"поделиться(?: (?:в|на) (?:{_SOCIAL}|соцсетях|социальных сетях))?[.!]?",
            r"печать|распечатать|версия для печати|ссылка скопирована|скопировать ссылку",
            rf"следите за нами (?:в|на) (?:{_SOCIAL}|соцсетях)(?:\s+\S+){{0,6}}[.!]?",
            rf"(?:подписывайтесь|читайте нас|присоединяйтесь)"
            rf"(?: на (?:нас|наш (?:телеграм-)?канал))?(?: (?:в|на) (?:{_SOCIAL}))?"
            r"(?:\s+\S+){0,6}[.!]?",
            r"просмотров\s*:?\s*[\d\s]+|[\d\s]+ просмотров",
            # A row of networks' names ("Facebook Twitter Telegram").
            rf"(?:(?:{_SOCIAL})[\s|/,·•]*){{2,}}",
        ]
    ),
    re.I,
)
# The lines a footer starts with: share, print or follow (not a lone network's name).
_FOOTER_START = re.compile(
    r"(?:share-\w+\s*)?(?:liked the story\?\s*)?share\b|print\b|printer|follow us|subscribe|"
    r"поділит|поділіт|друк|роздрук|версія для друку|стежте|слідкуйте|підписуйт|"
    r"поделит|печат|распечат|версия для печати|следите|подписывайт",
    re.I,
)

# A photo's credit: "Photo: Reuters", "Фото: Getty Images", "Photo by Jane Doe / AFP",
# or unlabelled, names and agencies set apart by "|" or "/" ("Yuri Kadobunov | AFP | Getty
# Images", "Sergei Savostyanov / TASS").
_CAP = r"[A-ZА-ЯІЇЄҐЁ][\w.'’&-]*"
_NAME = rf"{_CAP}(?:\s+{_CAP}){{0,2}}"
_LABEL = (
    r"(?:photo(?:graph)?|image|picture|pic|illustration|фото|світлина|ілюстрація|"
    r"ілюстративне фото|фото ілюстративне|фотография|иллюстрация|иллюстративное фото)"
)
_CREDIT_LABELLED = re.compile(rf"[(\[]?{_LABEL}\s*(?::|by|—|–)\s*[^\n]{{1,80}}?[)\]]?", re.I)
_CREDIT_UNLABELLED = re.compile(rf"{_NAME}(?:\s+[|/]\s*{_NAME}){{1,4}}")
# A caption and credit run into the start of the first paragraph: "Vladimir Putin in
# Helsinki. Photo: Reuters The Kremlin said …". Where the credit ends is plain only when it
# is in brackets, or when what follows starts a sentence in a way no credit does (an article,
# a preposition, a pronoun, a quotation mark); otherwise the text is left as it is.
_STARTS = (
    "The A An In On At As After Before When While This That It He She They We According "
    "У В На Після Під Це Він Вона Вони За Як Нещодавно Раніше "
    "После Под Это Он Она Они По Как Недавно Ранее"
)
_SENTENCE_START = rf"(?:(?:{'|'.join(_STARTS.split())})\b|[«\"“„])"
_CREDIT_WORD = r"[A-ZА-ЯІЇЄҐЁ][\w.'’&-]*|[a-z][\w.-]{1,10}"
_CAPITAL_WORD = r"[A-ZА-ЯІЇЄҐЁ][\w.'’&-]*"
_CREDIT = rf"{_CAPITAL_WORD}(?:\s+{_CAPITAL_WORD})?"
_CREDIT_MORE = rf"(?:{_CREDIT_WORD})(?:\s+(?:{_CREDIT_WORD}))?"
# A caption's label is capitalised ("Photo:", "Фото:"): "a photo: …" in a sentence is prose.
_RUN_IN_LABEL = (
    r"(?:Photo(?:graph)?|Image|Picture|Illustration|Фото|Світлина|Ілюстрація|Фотография|"
    r"Иллюстрация)"
)
_RUN_IN = re.compile(
    rf"\A(?P<caption>[^\n]{{0,300}}?)\s*"
    rf"(?:[(\[]{_RUN_IN_LABEL}\s*(?::|by)\s*[^\n)\]]{{1,60}}[)\]]\s+"
    rf"|{_RUN_IN_LABEL}\s*(?::|by)\s*{_CREDIT}(?:\s*[/|,]\s*{_CREDIT_MORE}){{0,4}}\s+"
    rf"(?={_SENTENCE_START}))"
)
_TOP_LINES = 4  # a caption stands among the body's first few lines


def without_furniture(body: str) -> str:
    """``body`` without page furniture (see the module's docstring); a body with none comes
    back unchanged, to the character."""
    lines: list[str | None] = body.split("\n")
    lines = _without_footer(lines)
    lines = _without_top_caption(lines)
    lines = [None if line is not None and _is_furniture(line) else line for line in lines]
    text = _joined(lines)
    text = _without_run_in_caption(text)
    return text if text.strip() else body


def _joined(lines: list[str | None]) -> str:
    """The lines left (None: removed) joined again: where lines were removed, the blank
    lines around them shrink to the longest run of them (a paragraph break stays one), and
    none is left at either end of the text."""
    out: list[str] = []
    index = 0
    while index < len(lines):
        if lines[index] is not None and lines[index].strip():
            out.append(lines[index])
            index += 1
            continue
        end = index
        while end < len(lines) and (lines[end] is None or not lines[end].strip()):
            end += 1
        run = lines[index:end]
        if None not in run:
            out.extend(run)
        elif index > 0 and end < len(lines):
            streak = longest = 0
            for line in run:
                streak = streak + 1 if line is not None else 0
                longest = max(longest, streak)
            out.extend([""] * longest)
        index = end
    return "\n".join(out)


def _bare(line: str) -> str:
    return line.strip().strip(_BULLETS)


def _is_furniture(line: str) -> bool:
    if len(line) > _FOOTER_LINE_MAX:
        return False  # (a quick no for the long lines of prose)
    bare = _bare(line)
    if not bare or len(bare.split()) > _WORDS_MAX:
        return False
    return bool(_FURNITURE.fullmatch(bare)) or _is_credit(bare, labelled_only=True)


def _is_credit(bare: str, *, labelled_only: bool = False) -> bool:
    """A photo's credit line; a sentence (six words or more, ending as one) is none."""
    words = len(bare.split())
    if words > _WORDS_MAX or (words >= 6 and bare[-1:] in ".!?"):
        return False
    if _CREDIT_LABELLED.fullmatch(bare):
        return True
    return not labelled_only and bool(_CREDIT_UNLABELLED.fullmatch(bare))


def _without_footer(lines: list[str]) -> list[str | None]:
    """Cut from the first share/print/follow line of the text's last part when no prose
    follows it; the view counter or site name just above it goes too."""
    first_prose = next((index for index, line in enumerate(lines) if _is_prose(line)), None)
    if first_prose is None:
        return lines
    for index in range(max(first_prose + 1, len(lines) - 30), len(lines)):
        bare = _bare(lines[index])
        if not (bare and _FOOTER_START.match(bare) and _is_furniture(lines[index])):
            continue
        if not any(_is_prose(line) for line in lines[index + 1 :]):
            cut = index
            while cut > 0 and _footer_above(lines[cut - 1]):
                cut -= 1
            return lines[:cut] + [None] * (len(lines) - cut)
        break
    return lines


def _is_prose(line: str) -> bool:
    """A long line, or a sentence (six words or more, ending as one) that is no furniture."""
    bare = line.strip()
    if len(bare) > _FOOTER_LINE_MAX:
        return True
    sentence = len(bare.split()) >= 6 and bare[-1:] in '.!?»"”'
    return sentence and not _is_furniture(line)


def _footer_above(line: str) -> bool:
    """A line just above a footer that goes with it: blank, furniture, or the site's name
    ("Caliber.Az")."""
    bare = _bare(line)
    return not bare or _is_furniture(line) or bool(_SITE.fullmatch(bare))


_SITE = re.compile(r"(?:[\w-]+\.)+[a-z]{2,24}", re.I)


def _without_top_caption(lines: list[str | None]) -> list[str | None]:
    """A credit line among the body's first lines goes, with the caption line just above it
    (no blank line between: a caption, not a paragraph)."""
    seen = 0
    for index, line in enumerate(lines):
        if line is None or not line.strip():
            continue
        seen += 1
        if seen > _TOP_LINES:
            break
        if not _is_credit(_bare(line)):
            continue
        start = index
        above = lines[index - 1] if index > 0 else None
        if above is not None and above.strip() and len(above) <= 400:
            start = index - 1
        return lines[:start] + [None] * (index + 1 - start) + lines[index + 1 :]
    return lines


def _without_run_in_caption(text: str) -> str:
    """A caption with its labelled credit at the very start of the body, the article's
    first sentence run on after it."""
    lead = len(text) - len(text.lstrip())
    match = _RUN_IN.match(text[lead:])
    if match is None or len(match["caption"].split()) > 40:
        return text
    return text[:lead] + text[lead + match.end() :]
