"""The rules of a tenant's branding that need no database: colour contrast (WCAG 2.x), the font stacks a portal may
use, the design tokens a tenant may tune, and the CSS variables a portal page is rendered with.

WARNING: every value that reaches `css_variables` ends up inside a `<style>` element on the tenant's pages. Only
values that passed the grammars below may get there; loosening them lets a tenant inject CSS (or break out of the
style element) on pages that seekers sign in on.
"""

import re

HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
PAGE_BACKGROUND = "#ffffff"
# WCAG 2.x AA for normal-size text (success criterion 1.4.3).
MINIMUM_TEXT_CONTRAST = 4.5

DEFAULT_PRIMARY = "#4338ca"
DEFAULT_PRIMARY_TEXT = "#ffffff"
DEFAULT_ACCENT = "#0f766e"

# Font choices are names of system font stacks, never font files or free text: no web-font download slows the
# portal or tells a font CDN who visits it, and a tenant's string never reaches CSS.
FONT_STACKS = {
    "system": 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
    "humanist": 'Seravek, "Gill Sans Nova", Ubuntu, Calibri, "DejaVu Sans", source-sans-pro, sans-serif',
    "geometric": 'Avenir, Montserrat, Corbel, "URW Gothic", source-sans-pro, sans-serif',
    "rounded": 'ui-rounded, "Hiragino Maru Gothic ProN", Quicksand, Comfortaa, Manjari, "Arial Rounded MT", '
    "Calibri, source-sans-pro, sans-serif",
    "serif": 'Charter, "Bitstream Charter", "Sitka Text", Cambria, Georgia, serif',
    "mono": 'ui-monospace, "Cascadia Code", "Source Code Pro", Menlo, Consolas, "DejaVu Sans Mono", monospace',
}

_LENGTH = re.compile(r"^(0|\d{1,3}(\.\d{1,2})?(px|rem|em))$")
_WEIGHT = re.compile(r"^[1-9]00$")
# The design tokens of portal.css a tenant may tune, each with the grammar its value must match.
TUNABLE_TOKENS: dict[str, tuple[re.Pattern, str]] = {
    "--radius": (_LENGTH, "a length such as 8px or 0.5rem"),
    "--radius-lg": (_LENGTH, "a length such as 16px or 1rem"),
    "--content-width": (_LENGTH, "a length such as 72rem"),
    "--heading-weight": (_WEIGHT, "a font weight from 100 to 900"),
}
MAX_FOOTER_LINKS = 6


def is_hex_color(value: str) -> bool:
    return bool(HEX_COLOR.match(value or ""))


def relative_luminance(hex_color: str) -> float:
    """WCAG 2.x relative luminance of an sRGB colour `#rrggbb`."""

    def channel(byte: str) -> float:
        c = int(byte, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(hex_color[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast ratio, from 1 (identical) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable_text_on(background: str) -> str:
    """Black or white, whichever reads better on `background` (one of them always reaches 4.5:1)."""
    return (
        "#ffffff"
        if contrast_ratio("#ffffff", background) >= contrast_ratio("#000000", background)
        else "#000000"
    )


def contrast_pairs(*, primary: str, primary_text: str, accent: str) -> list[dict]:
    """The colour pairs a portal draws text with, and how well each reads."""
    return [
        {
            "field": "primary_text_color",
            "label": "Text on the primary colour",
            "detail": "Header, hero and buttons",
            "foreground": primary_text,
            "background": primary,
            "ratio": contrast_ratio(primary_text, primary),
        },
        {
            "field": "accent_color",
            "label": "Accent colour on white",
            "detail": "Links and highlights",
            "foreground": accent,
            "background": PAGE_BACKGROUND,
            "ratio": contrast_ratio(accent, PAGE_BACKGROUND),
        },
    ]


def token_problem(name: str, value: str) -> str | None:
    """Why a custom CSS variable is refused, or None if it may be used."""
    rule = TUNABLE_TOKENS.get(name)
    if rule is None:
        return f"{name} is not a token you can change (allowed: {', '.join(TUNABLE_TOKENS)})."
    pattern, expected = rule
    if not pattern.match(value):
        return f"{name} must be {expected}."
    return None


def css_variables(branding, *, custom_design: bool) -> dict[str, str]:
    """The CSS custom properties a tenant's pages are rendered with, in order. `branding` passed the service's
    validation, so every value here matches one of the grammars above. Fonts and design tokens apply only while
    the plan has `custom_design` (they stay saved across a downgrade, for an upgrade to bring back)."""
    font = branding.font if custom_design else "system"
    variables = {
        "--brand-primary": branding.primary_color,
        "--brand-primary-text": branding.primary_text_color,
        "--brand-accent": branding.accent_color,
        "--brand-accent-text": readable_text_on(branding.accent_color),
        "--brand-font": FONT_STACKS.get(font, FONT_STACKS["system"]),
    }
    custom_tokens = branding.custom_css_variables if custom_design else {}
    for name, value in (custom_tokens or {}).items():
        if token_problem(name, value) is None:  # re-checked here too: rows written before a rule changed
            variables[name] = value
    return variables
