"""Matching figures: embedding speed (numpy MiniLM) and match-score time.

    .venv/bin/python bench/matching.py [jobs]
    .venv/bin/python bench/matching.py quality   # NDCG@10 and skill extraction vs baselines (bench/matching_eval)
    .venv/bin/python bench/matching.py recommend [jobs]   # recommendation latency at N jobs

Encode: jobs/s in batches, and p50/p95/p99 per text encoded one at a time, against the baseline of tokenizing
alone in the same run (the floor any model pays). Job texts are title + first 1,000 characters of description,
as `matching.services` embeds them.
"""

import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as settings.py sets it for the web and worker processes
sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[1] / "src")]

from jobpilot.matching import embeddings  # noqa: E402
from jobpilot.matching.scoring import JobSignals, SeekerSignals, match_score  # noqa: E402
from jobpilot.matching.understanding import understand_job  # noqa: E402

TITLES = [
    "Senior backend engineer",
    "Registered nurse, ICU",
    "Account executive",
    "Financial analyst",
    "Warehouse associate",
    "Product designer",
    "Electrician",
    "Data scientist",
    "Truck driver CDL-A",
    "Customer success manager",
]
SENTENCES = [
    "You will build and maintain services used by many customers.",
    "We need 3+ years of experience and strong communication skills.",
    "Benefits include health insurance, a pension and 25 days of paid time off.",
    "Experience with Python, SQL, Kubernetes or patient care is a plus.",
    "The salary is $80,000 - $110,000 per year depending on experience.",
]


def job_text(i: int) -> str:
    body = " ".join(SENTENCES[(i + k) % len(SENTENCES)] for k in range(4 + i % 12))
    return f"{TITLES[i % len(TITLES)]} {i}\n{body}"[:1100]


def quantiles(ms: list[float]) -> str:
    q = statistics.quantiles(ms, n=100)
    return f"p50 {q[49]:.2f} ms  p95 {q[94]:.2f} ms  p99 {q[98]:.2f} ms"


def bench_encode(count: int) -> None:
    texts = [job_text(i) for i in range(count)]
    embeddings.encode(texts[:4])  # load the model outside the timings
    tokenizer = embeddings._model().tokenizer
    start = time.perf_counter()
    tokenizer.encode_batch(texts)
    token_s = time.perf_counter() - start
    start = time.perf_counter()
    embeddings.encode(texts)
    batch_s = time.perf_counter() - start
    print(
        f"encode {count} job texts in batches of {embeddings.BATCH_SIZE}: {count / batch_s:.1f} jobs/s "
        f"({batch_s:.2f} s; tokenizing alone {count / token_s:.0f} texts/s)"
    )
    print(f"  1,000,000 jobs at this rate: {1_000_000 / (count / batch_s) / 3600:.1f} h on this machine")
    single = []
    for text in texts[: min(count, 200)]:
        start = time.perf_counter()
        embeddings.encode([text])
        single.append((time.perf_counter() - start) * 1000)
    print(f"encode one text at a time ({len(single)}): {quantiles(single)}")


def bench_score(count: int) -> None:
    """The score itself (what `POST /api/v2/matching/score/` computes once its rows are read): understanding and
    embedding are stored per job, the seeker's embedding cached, so a score is set arithmetic plus one dot
    product. Baseline in the same run: the skills part alone. Also: understanding a job (at publish/import)."""
    texts = [job_text(i) for i in range(count)]
    vectors = embeddings.encode(texts[:16])
    understood, understand_ms = [], []
    for i, text in enumerate(texts):
        start = time.perf_counter()
        understood.append(understand_job(title=TITLES[i % len(TITLES)], description=text))
        understand_ms.append((time.perf_counter() - start) * 1000)
    jobs = [
        JobSignals(
            required_skills=[s.id for s in u.required_skills],
            nice_to_have_skills=[s.id for s in u.nice_to_have_skills],
            seniority=u.seniority,
            remote=("remote", "hybrid", "onsite")[i % 3],
            location_keys=["berlin", "de"],
            country="DE",
            salary_annual_max=90_000 + i,
            salary_currency="USD",
            embedding=vectors[i % len(vectors)],
        )
        for i, u in enumerate(understood)
    ]
    seeker = SeekerSignals(
        skill_ids={"python", "sql", "kubernetes", "patient-care"},
        years=6,
        location_keys={"berlin", "de"},
        salary_annual=100_000,
        salary_currency="USD",
        embedding=vectors[0],
    )
    full, skills_only = [], []
    for job in jobs:
        start = time.perf_counter()
        match_score(seeker, job)
        full.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        _ = len(set(job.required_skills) & seeker.skill_ids) / max(1, len(job.required_skills))
        skills_only.append((time.perf_counter() - start) * 1000)
    print(
        f"understand a job at publish/import (skills, seniority, summary; {count}): {quantiles(understand_ms)}"
    )
    print(f"match score ({count} jobs): {quantiles(full)}")
    print(f"  baseline, skill overlap alone: {quantiles(skills_only)}")
    start = time.perf_counter()
    for _ in range(20):
        embeddings.encode_one("Backend engineer. Skills: Python, SQL. I build web services.")
    print(
        f"a cold score adds one seeker embedding (then cached): {(time.perf_counter() - start) * 50:.1f} ms"
    )


def main(count: int) -> None:
    print(
        f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}  cores: {os.cpu_count()}"
    )
    bench_encode(count)
    bench_score(max(count, 500))


if __name__ == "__main__":
    if sys.argv[1:2] == ["quality"]:
        from bench.matching_eval import quality

        quality.report()
    elif sys.argv[1:2] == ["recommend"]:
        from bench.matching_eval import speed

        speed.main(int(sys.argv[2]) if len(sys.argv) > 2 else 100_000)
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 256)
