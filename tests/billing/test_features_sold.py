"""Every feature a plan sells (and the pricing page lists) is checked somewhere outside the catalogue: a
feature without a gate would be sold to every plan."""

import re
from pathlib import Path

from billing.plans import PLANS, Feature

ROOT = Path(__file__).resolve().parents[2]
# Sold but built by its own issue (none now: match scores gate AI_RECOMMENDATIONS).
NOT_YET_GATED: set[Feature] = set()


def _sources() -> str:
    files = [*ROOT.glob("src/jobpilot/**/*.py"), *ROOT.glob("tenants/**/*.py"), *ROOT.glob("billing/**/*.py")]
    return "\n".join(p.read_text() for p in files if p.name != "plans.py" and "migrations" not in p.parts)


def test_every_feature_on_sale_is_checked_by_has_feature_or_require_feature():
    sources = _sources()
    sold = {feature for plan in PLANS for feature in plan.features} - NOT_YET_GATED
    ungated = [
        feature
        for feature in sold
        if not re.search(
            rf"(has_feature|require_feature)\(.{{0,120}}?Feature\.{feature.name}\b", sources, re.DOTALL
        )
    ]
    assert ungated == []
