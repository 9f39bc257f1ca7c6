"""Per-class precision and recall of the inbox classifier on the labelled set in tests/inbox/
(labelled_messages.json), and the confusion between classes. Each message is built as a real MIME mail and goes
through `inbox.parsing.parse_message` and `inbox.classifier.classify`, like a forwarded one. No database needed:

    .venv/bin/python bench/inbox_classifier.py
"""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobpilot.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from tests.inbox.labelled import HELD_OUT, LABELLED, evaluate  # noqa: E402


def report(name: str, path: Path) -> None:
    started = time.perf_counter()
    result = evaluate(path)
    elapsed = time.perf_counter() - started
    print(
        f"\n{name}: {result['total']} labelled messages, accuracy {result['accuracy']:.3f} ({elapsed * 1000:.0f} ms)"
    )
    print(f"{'class':<12}{'support':>8}{'precision':>11}{'recall':>8}")
    for label, row in result["classes"].items():
        print(f"{label:<12}{row['support']:>8}{row['precision']:>11.3f}{row['recall']:>8.3f}")
    print("misclassified (label -> predicted: count):")
    for (actual, predicted), count in sorted(result["confusion"].items()):
        if actual != predicted:
            print(f"  {actual} -> {predicted}: {count}")


def main() -> None:
    report("Labelled set (the phrase lists were tuned on it)", LABELLED)
    report("Held-out set (never tuned on)", HELD_OUT)


if __name__ == "__main__":
    main()
