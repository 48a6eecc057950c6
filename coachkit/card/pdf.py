"""The card as a one-page PDF (fpdf2 with HarfBuzz shaping, and the DejaVu Sans font shipped beside it).

Client text is written as text runs, never interpreted as markup. Long cards shrink their font to
stay on one page; text that still would not fit is cut with an ellipsis. A card in a right-to-left
language (Arabic) is laid out from the right: each paragraph's base direction is right to left (fpdf2's
bidi algorithm orders a name or a number inside it), and lines are aligned to the right margin.
"""

from __future__ import annotations

from importlib.resources import files

from coachkit.card.content import Card

FONT_DIR = files("coachkit.card") / "fonts"
FONT_SIZES = (15, 13, 11, 10, 9, 8)
PAGE_FORMAT = (148, 210)  # A5, in millimetres


def _render(card: Card, size: float, lines: tuple[str, ...]):  # type: ignore[no-untyped-def]
    from fpdf import FPDF

    pdf = FPDF(format=PAGE_FORMAT)
    pdf.set_auto_page_break(True, margin=12)
    pdf.set_margins(14, 14, 14)
    pdf.set_title(card.neutral_title)
    pdf.set_lang(card.language)
    pdf.set_creator("coachkit")
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    rtl = card.direction == "rtl"
    align = "R" if rtl else "L"
    # Right-to-left scripts in reading order, Arabic letters joined (HarfBuzz, through uharfbuzz).
    pdf.set_text_shaping(True, direction="rtl" if rtl else None)
    pdf.add_page()
    pdf.set_draw_color(47, 111, 98)
    pdf.set_line_width(0.6)
    pdf.rect(8, 8, pdf.w - 16, pdf.h - 16)
    pdf.set_font("DejaVu", "B", size + 5)
    pdf.multi_cell(0, (size + 5) * 0.5, card.title, align=align, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", size - 2)
    pdf.set_text_color(91, 107, 104)
    pdf.multi_cell(0, size * 0.5, card.byline, align=align, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(size * 0.4)
    pdf.set_text_color(35, 48, 46)
    pdf.set_font("DejaVu", "", size)
    for line in lines:
        pdf.multi_cell(0, size * 0.5, line or " ", align=align, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(size * 0.15)
    return pdf


def _cut(lines: tuple[str, ...], limit: int) -> tuple[str, ...]:
    return tuple(line if len(line) <= limit else line[: limit - 1] + "…" for line in lines)


def card_pdf(card: Card) -> bytes:
    """The card as PDF bytes, always exactly one page."""
    for limit in (None, 600, 300, 150):
        lines = card.lines if limit is None else _cut(card.lines, limit)
        for size in FONT_SIZES:
            pdf = _render(card, size, lines)
            if pdf.page_no() == 1:
                return bytes(pdf.output())
    raise ValueError("the card cannot fit on one page")
