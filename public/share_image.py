"""The Open Graph share image of a fact check: its claim and rating on a 1200×630 card.

Pure: text in, PNG bytes out (no database). Drawn with Pillow in Debian's DejaVu fonts
(package fonts-dejavu-core, which covers Latin, Cyrillic and Greek); without them, Pillow's
own font, which has no Cyrillic glyphs.
"""

import io
from functools import cache
from pathlib import Path

from django.utils.translation import gettext, pgettext
from PIL import Image, ImageDraw, ImageFont

SIZE = (1200, 630)
MARGIN = 64
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")

# The same colours as the site's rating badges (static/css/site.css).
RATING_COLOURS = {
    "true": "#1a7f37",
    "mostly_true": "#427d24",
    "mixed": "#9a6700",
    "mostly_false": "#c2410c",
    "false": "#b42318",
    "misleading": "#8e3a8c",
    "unproven": "#5d6773",
}
INK, MUTED, BACKGROUND, BAND = "#1d232b", "#5d6773", "#ffffff", "#16202c"


@cache
def _font(size: int, *, bold: bool = False):
    path = FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    try:
        return ImageFont.truetype(str(path), size)
    except OSError:
        return ImageFont.load_default(size)


@cache
def _has_glyph(font, char: str) -> bool:
    """Whether ``font`` draws ``char`` as itself, not as its empty box (.notdef): DejaVu has
    no emoji, and a card full of boxes is worse than a card without them."""
    if char.isspace():
        return True
    missing = _font_missing_mask(font)
    return bytes(font.getmask(char)) != missing


@cache
def _font_missing_mask(font) -> bytes:
    return bytes(font.getmask("\U0010fffd"))  # a private-use code point: no font has it


def drawable(text: str, font) -> str:
    """``text`` without the characters ``font`` cannot draw, spaces tidied."""
    kept = "".join(char for char in text if _has_glyph(font, char))
    return " ".join(kept.split())


def _wrap(draw, text: str, font, width: int, max_lines: int) -> list[str]:
    """``text`` broken into lines of at most ``width`` pixels; the last one ends in "…"
    when the text is longer than ``max_lines``."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and draw.textlength(last + " …", font=font) > width:
            last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        lines[-1] = last + " …"
    return lines


def render_share_image(*, statement: str, rating: str, rating_label: str, site_name: str) -> bytes:
    rating_label = str(rating_label)  # a model choice's label is a lazy translation
    image = Image.new("RGB", SIZE, BACKGROUND)
    draw = ImageDraw.Draw(image)
    width = SIZE[0] - 2 * MARGIN
    colour = RATING_COLOURS.get(rating, MUTED)

    # The site's name on a dark band, as on the site's header.
    draw.rectangle([0, 0, SIZE[0], 96], fill=BAND)
    draw.text((MARGIN, 48), site_name, font=_font(34, bold=True), fill="#e8edf3", anchor="lm")

    y = 140
    draw.text((MARGIN, y), pgettext("share image", "CLAIM"), font=_font(26, bold=True), fill=MUTED)
    y += 44
    # The statement in the largest size that fits in four lines.
    for size in (54, 46, 40, 34):
        font = _font(size, bold=True)
        lines = _wrap(draw, f"“{drawable(statement, font)}”", font, width, 4)
        if not lines[-1].endswith("…") or size == 34:
            break
    for line in lines:
        draw.text((MARGIN, y), line, font=font, fill=INK)
        y += int(size * 1.25)

    # The rating, as the site's badge: "Our verdict" then the label on its colour.
    label_font = _font(30, bold=True)
    badge_font = _font(48, bold=True)
    bottom = SIZE[1] - MARGIN
    text_width = draw.textlength(rating_label, font=badge_font)
    verdict = gettext("Our verdict")
    left = MARGIN + max(210, draw.textlength(verdict, font=label_font) + 30)
    badge = [left, bottom - 76, left + text_width + 56, bottom]
    draw.text((MARGIN, bottom - 38), verdict, font=label_font, fill=MUTED, anchor="lm")
    draw.rounded_rectangle(badge, radius=12, fill=colour)
    draw.text(
        ((badge[0] + badge[2]) / 2, (badge[1] + badge[3]) / 2),
        rating_label,
        font=badge_font,
        fill="#ffffff",
        anchor="mm",
    )
    draw.rectangle([0, SIZE[1] - 12, SIZE[0], SIZE[1]], fill=colour)

    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
