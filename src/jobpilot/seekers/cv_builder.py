"""The CV builder: a PDF (fpdf2) and a Word document (python-docx) made from the seeker's profile, in one of three
templates. Pure functions over a `CvContent`, so the API, the web page and tests share them (ADR 0026).

Fonts are Unicode TrueType files embedded in the PDF (subset): DejaVu (Debian's fonts-dejavu-core) for Latin, Greek
and Cyrillic, with Droid Sans Fallback (fonts-droid-fallback) for Chinese, Japanese and Korean. PDF's built-in fonts
cover Latin-1 only, so a name such as "Łukasz" or "山田" needs them. `settings.CV_FONT_DIRS` says where to look.
"""

import io
import logging
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from fpdf import FPDF

from jobpilot.core.errors import DomainError

# fontTools logs every table it subsets at INFO: a page of noise per CV.
logging.getLogger("fontTools").setLevel(logging.WARNING)


@dataclass(frozen=True)
class Template:
    name: str
    label: str
    family: str  # "serif" or "sans"
    size: float  # body text, points
    accent: tuple[int, int, int]
    margin_mm: float
    header: str  # "center" (a centered name over a rule), "band" (a colored band), "left" (one tight block)


TEMPLATES = {
    "classic": Template("classic", "Classic", "serif", 10.5, (20, 20, 20), 20, "center"),
    "modern": Template("modern", "Modern", "sans", 10, (37, 99, 235), 16, "band"),
    "compact": Template("compact", "Compact", "sans", 9, (55, 65, 81), 12, "left"),
}
DOCX_FONTS = {"serif": "Georgia", "sans": "Calibri"}
FONT_FILES = {
    ("serif", ""): "DejaVuSerif.ttf",
    ("serif", "B"): "DejaVuSerif-Bold.ttf",
    ("sans", ""): "DejaVuSans.ttf",
    ("sans", "B"): "DejaVuSans-Bold.ttf",
}
FALLBACK_FONT_FILE = "DroidSansFallbackFull.ttf"


class FontsMissing(DomainError):
    status = 503
    code = "cv_fonts_missing"
    detail = "The CV builder is not available right now."


@dataclass
class CvContent:
    name: str
    headline: str = ""
    email: str = ""
    phone: str = ""
    location: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)  # paragraphs
    skills: list[tuple[str, str]] = field(default_factory=list)  # (name, level)
    experience_years: int | None = None
    education: str = ""

    @property
    def contact_line(self) -> str:
        return "  ·  ".join(part for part in (self.email, self.phone, self.location) if part)

    @property
    def has_body(self) -> bool:
        return bool(self.headline or self.summary or self.skills)


def cv_content(*, user, profile) -> CvContent:
    """What goes on the CV, from the account (name, email) and the profile (an unsaved one is empty)."""
    saved = profile.pk is not None and not profile._state.adding
    return CvContent(
        name=user.get_full_name().strip(),
        headline=profile.headline,
        email=user.email,
        phone=profile.phone,
        location=profile.location,
        links=[
            (link.get("label", ""), link.get("url", "")) for link in profile.links or [] if link.get("url")
        ],
        summary=[part.strip() for part in (profile.bio or "").split("\n") if part.strip()],
        skills=[(skill.name, skill.get_level_display()) for skill in profile.skills.all()] if saved else [],
        experience_years=profile.experience_years,
        education=profile.get_education_level_display() if profile.education_level else "",
    )


def render(content: CvContent, template: str, kind: str) -> bytes:
    """The CV as a file of `kind` ("pdf" or "docx")."""
    style = TEMPLATES[template]
    return render_pdf(content, style) if kind == "pdf" else render_docx(content, style)


def _facts(content: CvContent) -> list[str]:
    facts = []
    if content.experience_years is not None:
        years = content.experience_years
        facts.append(f"{years} year{'s' if years != 1 else ''} of professional experience")
    if content.education:
        facts.append(f"Education: {content.education}")
    return facts


# --- PDF ------------------------------------------------------------------------------------------------------------


@cache
def _font_paths() -> dict:
    found = {}
    wanted = {**{key: name for key, name in FONT_FILES.items()}, "fallback": FALLBACK_FONT_FILE}
    for directory in settings.CV_FONT_DIRS:
        for key, name in wanted.items():
            path = Path(directory) / name
            if key not in found and path.is_file():
                found[key] = path
    return found


class _CvPdf(FPDF):
    footer_text = ""

    def footer(self):
        self.set_y(-12)
        self.set_font(size=7.5)
        self.set_text_color(120, 120, 120)
        self.cell(0, 5, f"{self.footer_text} · {self.page_no()}/{{nb}}", align="C")


def render_pdf(content: CvContent, style: Template) -> bytes:
    fonts = _font_paths()
    if any(key not in fonts for key in FONT_FILES):
        raise FontsMissing()
    pdf = _CvPdf(format="A4")
    pdf.footer_text = content.name
    for (family, bold), _name in FONT_FILES.items():
        pdf.add_font(family, bold, str(fonts[(family, bold)]))
    if "fallback" in fonts:
        pdf.add_font("fallback", "", str(fonts["fallback"]))
        pdf.set_fallback_fonts(["fallback"], exact_match=False)
    pdf.set_margins(style.margin_mm, style.margin_mm, style.margin_mm)
    pdf.set_auto_page_break(True, margin=style.margin_mm + 4)
    pdf.set_title(f"{content.name} — CV")
    pdf.set_author(content.name)
    pdf.set_creator("JobPilot CV builder")
    pdf.add_page()
    family, size, accent = style.family, style.size, style.accent
    line = size * 0.55  # mm per line of body text

    if style.header == "band":
        pdf.set_fill_color(*accent)
        pdf.rect(0, 0, pdf.w, 34, style="F")
        pdf.set_text_color(255, 255, 255)
        pdf.set_y(9)
    else:
        pdf.set_text_color(20, 20, 20)
    align = "C" if style.header == "center" else "L"
    pdf.set_font(family, "B", size * 2.2)
    pdf.multi_cell(0, size * 0.95, content.name, align=align, new_x="LMARGIN", new_y="NEXT")
    if content.headline:
        pdf.set_font(family, "", size * 1.2)
        pdf.multi_cell(0, line * 1.2, content.headline, align=align, new_x="LMARGIN", new_y="NEXT")
    if content.contact_line:
        pdf.set_font(family, "", size * 0.9)
        pdf.multi_cell(0, line, content.contact_line, align=align, new_x="LMARGIN", new_y="NEXT")
    if style.header == "band":
        pdf.set_y(max(pdf.get_y(), 34) + 4)
    elif style.header == "center":
        pdf.ln(2)
        pdf.set_draw_color(*accent)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
        pdf.ln(3)
    else:
        pdf.ln(2)

    def heading(text: str) -> None:
        pdf.ln(line * 0.6)
        pdf.set_font(family, "B", size * 1.15)
        pdf.set_text_color(*accent)
        pdf.cell(
            0, line * 1.4, text.upper() if style.header != "center" else text, new_x="LMARGIN", new_y="NEXT"
        )
        if style.header != "left":
            pdf.set_draw_color(210, 210, 210)
            pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
            pdf.ln(1.5)
        pdf.set_font(family, "", size)
        pdf.set_text_color(30, 30, 30)

    if content.summary:
        heading("Summary")
        for paragraph in content.summary:
            pdf.multi_cell(0, line, paragraph, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(line * 0.4)
    if content.skills:
        heading("Skills")
        if style.header == "left":  # compact: one flowing line
            pdf.multi_cell(
                0, line, " · ".join(name for name, _ in content.skills), new_x="LMARGIN", new_y="NEXT"
            )
        else:
            column = (pdf.w - pdf.l_margin - pdf.r_margin) / 2
            for index, (name, level) in enumerate(content.skills):
                last_in_row = index % 2 == 1 or index == len(content.skills) - 1
                pdf.cell(
                    column,
                    line * 1.1,
                    f"{name} ({level.lower()})",
                    new_x="LMARGIN" if last_in_row else "RIGHT",
                    new_y="NEXT" if last_in_row else "TOP",
                )
    facts = _facts(content)
    if facts:
        heading("Experience and education")
        for fact in facts:
            pdf.multi_cell(0, line, fact, new_x="LMARGIN", new_y="NEXT")
    if content.links:
        heading("Links")
        for label, url in content.links:
            pdf.multi_cell(0, line, f"{label}: {url}" if label else url, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


# --- DOCX -----------------------------------------------------------------------------------------------------------


def render_docx(content: CvContent, style: Template) -> bytes:
    document = Document()
    font_name = DOCX_FONTS[style.family]
    normal = document.styles["Normal"]
    normal.font.name = font_name
    normal.font.size = Pt(style.size)
    # Word picks East Asian glyphs from the eastAsia font slot; a CJK name stays readable with a common one.
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "MS Gothic")
    for section in document.sections:
        section.top_margin = section.bottom_margin = Mm(style.margin_mm)
        section.left_margin = section.right_margin = Mm(style.margin_mm)
    accent = RGBColor(*style.accent)
    align = WD_ALIGN_PARAGRAPH.CENTER if style.header == "center" else WD_ALIGN_PARAGRAPH.LEFT
    core = document.core_properties
    core.title, core.author = f"{content.name} — CV", content.name

    def paragraph(text: str, *, size: float | None = None, bold=False, color=None, alignment=None):
        para = document.add_paragraph()
        run = para.add_run(text)
        run.bold = bold
        run.font.size = Pt(size or style.size)
        if color is not None:
            run.font.color.rgb = color
        if alignment is not None:
            para.alignment = alignment
        para.paragraph_format.space_after = Pt(style.size * 0.4)
        return para

    paragraph(content.name, size=style.size * 2.2, bold=True, color=accent, alignment=align)
    if content.headline:
        paragraph(content.headline, size=style.size * 1.2, alignment=align)
    if content.contact_line:
        paragraph(content.contact_line, size=style.size * 0.9, alignment=align)

    def heading(text: str) -> None:
        para = paragraph(
            text.upper() if style.header != "center" else text, size=style.size * 1.15, bold=True
        )
        para.runs[0].font.color.rgb = accent
        para.paragraph_format.space_before = Pt(style.size)

    if content.summary:
        heading("Summary")
        for text in content.summary:
            paragraph(text)
    if content.skills:
        heading("Skills")
        if style.header == "left":
            paragraph(" · ".join(name for name, _ in content.skills))
        else:
            for name, level in content.skills:
                para = document.add_paragraph(f"{name} ({level.lower()})", style="List Bullet")
                para.paragraph_format.space_after = Pt(0)
    facts = _facts(content)
    if facts:
        heading("Experience and education")
        for fact in facts:
            paragraph(fact)
    if content.links:
        heading("Links")
        for label, url in content.links:
            paragraph(f"{label}: {url}" if label else url)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
