"""The classifier against the labelled sets (tests/inbox/labelled.py). The floors are what was measured, a little
under: a change to the phrase lists that loses ground fails here. `bench/inbox_classifier.py` prints the table."""

import pytest

from jobpilot.inbox.classifier import classify
from tests.inbox.labelled import HELD_OUT, LABELLED, evaluate, labelled_messages

JOB_CLASSES = ("interview", "rejection", "offer", "assessment", "receipt")


def test_the_labelled_set_is_big_varied_and_real_shaped():
    messages = labelled_messages(LABELLED)
    assert len(messages) >= 90
    assert len(labelled_messages(HELD_OUT)) >= 20
    assert {m["lang"] for m in messages} >= {"en", "de", "fr", "es"}
    assert {m["label"] for m in messages} == {*JOB_CLASSES, "other"}
    senders = " ".join(m["from"] for m in messages)
    for ats in ("greenhouse", "lever.co", "myworkday", "personio", "smartrecruiters", "ashbyhq"):
        assert ats in senders


def test_precision_and_recall_on_the_labelled_set_hold_their_floor():
    result = evaluate(LABELLED)
    for label, row in result["classes"].items():
        assert row["precision"] >= 0.95, label
        assert row["recall"] >= 0.95, label


# Measured 2026-12-07 on the held-out set (never tuned on): accuracy 0.542, precision 1.00 for every job class,
# recall 0.33-0.67 (ADR 0017). The classifier misses rather than mislabels, which is the safe way round.
HELD_OUT_ACCURACY_FLOOR = 0.5
HELD_OUT_PRECISION_FLOOR = 0.9


def test_the_held_out_set_holds_its_floor():
    result = evaluate(HELD_OUT)
    assert result["accuracy"] >= HELD_OUT_ACCURACY_FLOOR
    for label in JOB_CLASSES:
        assert result["classes"][label]["precision"] >= HELD_OUT_PRECISION_FLOOR, label


@pytest.mark.parametrize(
    ("subject", "text", "category"),
    [
        (
            "Re: your application",
            "Unfortunately we will not be moving forward. We wish you the best.",
            "rejection",
        ),
        ("Einladung zum Vorstellungsgespräch", "Wir möchten Sie gerne kennenlernen.", "interview"),
        ("Your HackerRank test", "Please complete the coding challenge within 7 days.", "assessment"),
        ("Offer letter", "We are delighted to extend an offer.", "offer"),
        ("Eingangsbestätigung", "Ihre Bewerbung ist bei uns eingegangen.", "receipt"),
        ("Lunch?", "Are you free on Friday?", "other"),
        ("", "", "other"),
    ],
)
def test_typical_phrases_decide_the_category(subject, text, category):
    assert classify(subject=subject, text=text).category == category


def test_the_classification_says_which_phrases_decided():
    result = classify(subject="Absage", text="Leider müssen wir Ihnen mitteilen, dass ...")
    assert result.category == "rejection"
    assert "absage" in result.phrases and "leider" in result.phrases
    assert 0 < result.confidence <= 1
