"""Precision and recall of import dedupe on a labelled sample, and the near-duplicate threshold they choose.

The sample is generated, deterministically, from postings of twelve occupations the way the same job really
reaches us twice: a second board re-posts it (another URL and id, a title dressed up with "URGENT", "(m/w/d)" or
the city, the company with or without "Inc.", the description re-flowed into other HTML, its own boilerplate
added, a sentence dropped or reordered). The pairs that must stay apart are the hard ones: the same role and
text in another city (one posting per city is how multi-location roles are published), another role of the same
company and office sharing its "about us" and benefits, and the same title at another company.

Each item goes through the real `normalize` and `dedupe.listing_keys`; each pair is judged by `dedupe.repeats`.
Prints precision/recall for every threshold of SimHash bits, for the near-duplicate rule alone and for all
rules together. No database needed:

    .venv/bin/python bench/ingest_dedupe.py [--jobs 600] [--seed 7]
"""

import argparse
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobpilot.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from jobpilot.ingest import dedupe  # noqa: E402
from jobpilot.ingest.normalize import normalize  # noqa: E402
from jobpilot.ingest.records import RawJob  # noqa: E402

OCCUPATIONS = {
    "Backend Engineer": [
        "You will design and run the services behind our checkout and payments.",
        "Write Python and Go services that handle thousands of requests per second.",
        "Own PostgreSQL schemas, migrations and query performance.",
        "Review code, mentor engineers and take part in the on-call rotation.",
        "Experience with Kubernetes, Docker and cloud infrastructure is expected.",
        "You care about tests, observability and clear documentation.",
    ],
    "Registered Nurse": [
        "Provide direct patient care on a busy 32-bed medical-surgical unit.",
        "Assess patients, administer medication and document care in the electronic record.",
        "Work with physicians, therapists and families to plan discharge.",
        "A current RN licence and BLS certification are required.",
        "Twelve-hour shifts, three days a week, with rotating weekends.",
        "New graduates complete a twelve-week preceptorship.",
    ],
    "Account Executive": [
        "Own the full sales cycle from first call to signed contract for mid-market accounts.",
        "Build pipeline through outbound prospecting and partner referrals.",
        "Run discovery calls and product demos with operations leaders.",
        "Forecast accurately in Salesforce and hit a quarterly quota.",
        "Three years of B2B SaaS sales experience is required.",
        "Uncapped commission and a clear path to enterprise accounts.",
    ],
    "Financial Analyst": [
        "Build the monthly forecast and the annual budget with department heads.",
        "Analyse variances against plan and explain them to leadership.",
        "Maintain financial models in Excel and our planning tool.",
        "Support the month-end close with accruals and reconciliations.",
        "A degree in finance or accounting and two years of FP&A experience.",
        "CPA or CFA progress is a plus.",
    ],
    "Warehouse Associate": [
        "Pick, pack and ship customer orders accurately and on time.",
        "Receive inbound deliveries and put stock away in the right locations.",
        "Operate pallet jacks and forklifts after our certification training.",
        "Keep the warehouse clean, safe and organised.",
        "Lift up to 50 pounds and stand for a full shift.",
        "Day and night shifts available with overtime in peak season.",
    ],
    "Product Designer": [
        "Design flows for our mobile app from research to polished screens.",
        "Run usability tests with customers and turn findings into improvements.",
        "Maintain and extend our design system in Figma.",
        "Work daily with product managers and engineers.",
        "A portfolio that shows your process, not only final screens.",
        "Experience with accessibility standards is a strong plus.",
    ],
    "Electrician": [
        "Install and repair wiring, panels and lighting in commercial buildings.",
        "Read blueprints and follow the national electrical code.",
        "Troubleshoot faults with meters and testing equipment.",
        "A journeyman licence and five years of field experience are required.",
        "Company van, tools and fuel card provided.",
        "Occasional on-call weekends for emergency repairs.",
    ],
    "Customer Support Specialist": [
        "Answer customer questions by chat, email and phone.",
        "Troubleshoot account and billing problems and escalate bugs to engineering.",
        "Write and update help-centre articles.",
        "Keep response times within our service-level targets.",
        "Excellent written English; a second language is a plus.",
        "Shifts cover weekdays between 8am and 8pm.",
    ],
    "Marketing Manager": [
        "Plan and run campaigns across email, paid social and search.",
        "Own the marketing budget and report return on spend every month.",
        "Work with sales to define ideal customer profiles and lead scoring.",
        "Manage two marketers and a network of freelancers.",
        "Five years of B2B marketing experience, with HubSpot or Marketo.",
        "You write clearly and love testing ideas with data.",
    ],
    "Data Analyst": [
        "Turn product and sales data into dashboards that teams use every day.",
        "Write SQL against our warehouse and build models in dbt.",
        "Define metrics with product managers and keep them consistent.",
        "Present findings to leadership in plain language.",
        "Experience with Python or R for analysis is a plus.",
        "Two years of analytics experience in a fast-moving company.",
    ],
    "Truck Driver": [
        "Drive regional routes delivering freight to retail stores.",
        "Inspect the vehicle before and after each trip and log hours of service.",
        "Load and unload with a liftgate and pallet jack.",
        "A class A CDL and a clean driving record are required.",
        "Home every night; routes are planned the day before.",
        "Sign-on bonus after ninety days.",
    ],
    "Pharmacist": [
        "Review and dispense prescriptions accurately in a retail pharmacy.",
        "Counsel patients on their medication and side effects.",
        "Administer vaccinations and run medication therapy reviews.",
        "Supervise pharmacy technicians and manage inventory.",
        "A PharmD and a state pharmacist licence are required.",
        "Flexible schedules with every other weekend off.",
    ],
}
COMPANIES = [
    "Northwind Inc.",
    "Acme Robotics GmbH",
    "Blue Harbor Health",
    "Contoso Ltd",
    "Globex Corporation",
    "Initech",
    "Umbrella Logistics",
    "Hooli Labs",
    "Vandelay Industries",
    "Soylent Foods",
    "Wayne Enterprises",
    "Stark Medical",
]
CITIES = [
    ("Berlin", "DE"),
    ("Munich", "DE"),
    ("London", "GB"),
    ("Manchester", "GB"),
    ("Toronto", "CA"),
    ("Austin", "US"),
    ("Denver", "US"),
    ("Paris", "FR"),
    ("Amsterdam", "NL"),
    ("Madrid", "ES"),
]
ABOUT = [
    "We are a fast-growing company with offices in nine countries and a culture of trust.",
    "Join a team that values kindness, curiosity and doing the right thing for customers.",
    "Our mission is to make everyday work simpler for millions of people.",
]
BENEFITS = [
    "We offer 30 days of paid holiday, a pension plan and private health insurance.",
    "Benefits include a learning budget, parental leave and a yearly team retreat.",
    "Enjoy flexible hours, a public transport pass and free lunches on Fridays.",
]
BOARD_BOILERPLATE = [
    "Apply today through our partner board and hear back within five days.",
    "This job was posted by a recruitment agency on behalf of the employer.",
    "Equal opportunity employer: all qualified applicants will receive consideration.",
]


def _html(paragraphs: list[str], rng: random.Random) -> str:
    if rng.random() < 0.5:
        return "".join(f"<p>{text}</p>" for text in paragraphs)
    return "<ul>" + "".join(f"<li>{text}</li>" for text in paragraphs) + "</ul>"


def _raw(
    *, ref: str, title: str, company: str, city: str, country: str, body: list[str], url: str, rng
) -> RawJob:
    return RawJob(
        external_id=ref,
        title=title,
        url=url,
        company=company,
        city=city,
        country=country,
        description_html=_html(body, rng),
    )


def _original(index: int, rng: random.Random) -> dict:
    role = rng.choice(list(OCCUPATIONS))
    company = COMPANIES[index % len(COMPANIES)]
    city, country = rng.choice(CITIES)
    sentences = OCCUPATIONS[role][:]
    rng.shuffle(sentences)
    body = [rng.choice(ABOUT), *sentences[: rng.randint(4, 6)], rng.choice(BENEFITS)]
    seniority = rng.choice(["", "Senior ", "Junior ", "Lead "])
    return {
        "occupation": role,
        "role": f"{seniority}{role}",
        "company": company,
        "city": city,
        "country": country,
        "body": body,
        "url": f"https://boards.example-ats.com/{company.split()[0].lower()}/jobs/{40000 + index}",
    }


def _repost(job: dict, index: int, rng: random.Random) -> RawJob:
    """The same job as another board shows it."""
    title = job["role"]
    if rng.random() < 0.3:  # reworded in a way no title cleaning undoes
        title = rng.choice(
            [
                title.replace("Senior ", "Sr. ") if "Senior " in title else f"{title} II",
                title.replace("Engineer", "Developer")
                .replace("Specialist", "Agent")
                .replace("Manager", "Lead"),
                f"{title} (Full-time)",
            ]
        )
    dressing = rng.random()
    if dressing < 0.25:
        title = f"URGENT: {title}"
    elif dressing < 0.5:
        title = f"{title} (m/w/d)"
    elif dressing < 0.75:
        title = f"{title} - {job['city']}"
    company = job["company"]
    if rng.random() < 0.5:  # the legal form dropped or added
        words = company.split()
        legal = words[-1] in {"Inc.", "GmbH", "Ltd", "Corporation"}
        company = " ".join(words[:-1]) if legal else f"{company} Inc."
    body = job["body"][:]
    edit = rng.random()
    if edit < 0.3 and len(body) > 4:
        body.pop(rng.randrange(1, len(body) - 1))  # a sentence dropped
    elif edit < 0.6:
        body[1], body[2] = body[2], body[1]  # two sentences swapped
    if rng.random() < 0.7:
        body.append(rng.choice(BOARD_BOILERPLATE))
    # Some boards link the employer's own posting (a tracking parameter added); most use their own page.
    url = (
        f"{job['url']}?utm_source=board{index % 5}"
        if rng.random() < 0.2
        else f"https://jobs.board{index % 5}.example/{index}"
    )
    return _raw(
        ref=f"repost-{index}",
        title=title,
        company=company,
        city=job["city"],
        country=job["country"],
        body=body,
        url=url,
        rng=rng,
    )


def _other_city(job: dict, index: int, rng: random.Random) -> RawJob:
    city, country = rng.choice([place for place in CITIES if place[0] != job["city"]])
    return _raw(
        ref=f"city-{index}",
        title=job["role"],
        company=job["company"],
        city=city,
        country=country,
        body=job["body"],
        url=f"{job['url']}-{city.lower()}",
        rng=rng,
    )


def _other_role_same_office(job: dict, index: int, rng: random.Random) -> RawJob:
    role = rng.choice([name for name in OCCUPATIONS if name != job["occupation"]])
    sentences = OCCUPATIONS[role][: rng.randint(4, 6)]
    return _raw(
        ref=f"role-{index}",
        title=role,
        company=job["company"],
        city=job["city"],
        country=job["country"],
        body=[job["body"][0], *sentences, job["body"][-1]],  # the same "about us" and benefits
        url=f"{job['url']}-{index}",
        rng=rng,
    )


def _same_title_elsewhere(job: dict, index: int, rng: random.Random) -> RawJob:
    company = rng.choice([name for name in COMPANIES if name != job["company"]])
    sentences = OCCUPATIONS[job["occupation"]][:]
    rng.shuffle(sentences)
    return _raw(
        ref=f"other-{index}",
        title=job["role"],
        company=company,
        city=job["city"],
        country=job["country"],
        body=[rng.choice(ABOUT), *sentences[:5], rng.choice(BENEFITS)],
        url=f"https://careers.{company.split()[0].lower()}.example/{index}",
        rng=rng,
    )


def labelled_pairs(jobs: int, seed: int) -> list[tuple[dict, dict, bool, str]]:
    """(new listing's keys, listed job's keys, same job?, kind) for every pair of the sample."""
    rng = random.Random(seed)
    pairs = []
    for index in range(jobs):
        job = _original(index, rng)
        listed = dedupe.listing_keys(
            normalize(
                _raw(
                    ref=f"job-{index}",
                    title=job["role"],
                    company=job["company"],
                    city=job["city"],
                    country=job["country"],
                    body=job["body"],
                    url=job["url"],
                    rng=rng,
                )
            )
        )
        for kind, make, same in (
            ("repost", _repost, True),
            ("other city", _other_city, False),
            ("other role, same office", _other_role_same_office, False),
            ("same title, other company", _same_title_elsewhere, False),
        ):
            new = dedupe.listing_keys(normalize(make(job, index, rng)))
            pairs.append((new, listed, same, kind))
    return pairs


def _scores(pairs, judge) -> tuple[float, float, int, int]:
    true_positive = sum(1 for new, listed, same, _ in pairs if same and judge(new, listed))
    false_positive = sum(1 for new, listed, same, _ in pairs if not same and judge(new, listed))
    positives = sum(1 for *_, same, _kind in pairs if same)
    flagged = true_positive + false_positive
    precision = true_positive / flagged if flagged else 1.0
    return precision, true_positive / positives, true_positive, false_positive


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=600)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    pairs = labelled_pairs(args.jobs, args.seed)
    positives = sum(1 for *_, same, _kind in pairs if same)
    print(
        f"{len(pairs)} labelled pairs ({positives} same job, {len(pairs) - positives} distinct), seed {args.seed}"
    )

    exact = _scores(
        pairs,
        lambda new, listed: (
            listed["canonical_url"] in new["canonical_urls"] or listed["fingerprint"] == new["fingerprint"]
        ),
    )
    print(f"URL + fingerprint only: precision {exact[0]:.3f} recall {exact[1]:.3f}")
    print(
        f"{'bits':>4} {'near precision':>15} {'near recall':>12} {'all precision':>14} {'all recall':>11} {'FP':>4}"
    )
    for bits in range(0, 17, 2):
        near = _scores(
            pairs,
            lambda new, listed, bits=bits: (
                new["near_key"] == listed["near_key"]
                and dedupe.hamming(new["simhash"], listed["simhash"]) <= bits
            ),
        )
        both = _scores(pairs, lambda new, listed, bits=bits: dedupe.repeats(new, listed, bits=bits))
        chosen = "  <- NEAR_DUPLICATE_BITS" if bits == dedupe.NEAR_DUPLICATE_BITS else ""
        print(
            f"{bits:>4} {near[0]:>15.3f} {near[1]:>12.3f} {both[0]:>14.3f} {both[1]:>11.3f} {both[3]:>4}{chosen}"
        )
    print("false positives at the chosen threshold, by kind:")
    for kind in sorted({kind for *_, kind in pairs}):
        wrong = sum(1 for new, listed, same, k in pairs if k == kind and same != dedupe.repeats(new, listed))
        total = sum(1 for *_, k in pairs if k == kind)
        print(f"  {kind:<28} {wrong:>4} wrong of {total}")


if __name__ == "__main__":
    main()
