"""The language of a listing, detected once at index time, so that its words are stemmed by the rules of that
language (`Entwicklerin` finds `Entwickler`). Lingua's models ship inside its wheel (nothing is downloaded);
only the languages the engine has a stemmer field for are candidates, and a guess below `MIN_CONFIDENCE` (a
title of two words, a list of skills) is "unknown", which the engine treats like English, as before."""

from functools import lru_cache

# ISO 639-1 code -> tantivy's stemmer name. The first is the default (and the fields without a suffix).
LANGUAGES = {
    "en": "english",
    "de": "german",
    "fr": "french",
    "es": "spanish",
    "nl": "dutch",
    "pt": "portuguese",
    "it": "italian",
}
LANGUAGE_NAMES = {
    "en": "English",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "nl": "Dutch",
    "pt": "Portuguese",
    "it": "Italian",
}
DEFAULT = "en"
MIN_CONFIDENCE = 0.6
# Detection time grows with the text; the head of a listing (title and the first paragraph) decides as well.
SAMPLE_CHARS = 400


@lru_cache(maxsize=1)
def _detector():
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in LANGUAGES]
    # Low accuracy mode: trigrams only, ~0.4 ms per listing and ~30 MB, plenty for a paragraph of text.
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def detect(title: str, text: str) -> str:
    """The ISO code of the language of a listing, or "" when it is not clear."""
    sample = f"{title}. {text}"[:SAMPLE_CHARS].strip(". ")
    if not sample:
        return ""
    best = _detector().compute_language_confidence_values(sample)[0]
    if best.value < MIN_CONFIDENCE:
        return ""
    return best.language.iso_code_639_1.name.lower()
