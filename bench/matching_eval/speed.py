"""Recommendation latency at N jobs: candidate retrieval from the tantivy engine (the seeker's terms, OR, top 100)
plus ranking, cold (first query on a fresh index reader) and warm (p50/p95/p99), against the baseline of a
plain keyword search (the seeker's headline words, AND) on the same index in the same run. Jobs are the
evaluation set's templates repeated with numbered companies. PostgreSQL reads (100 rows by primary key) and the
per-seeker cache are not in these figures.

    .venv/bin/python bench/matching.py recommend [N]
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from bench.matching_eval import quality
from bench.matching_eval.dataset import build
from jobpilot.matching import recommend
from jobpilot.search.backend import Page, SearchDocument, SearchFilters
from jobpilot.search.tantivy_backend import TantivyBackend


def _q(ms: list[float]) -> str:
    q = statistics.quantiles(ms, n=100)
    return f"p50 {q[49]:.1f} ms  p95 {q[94]:.1f} ms  p99 {q[98]:.1f} ms"


def main(n: int) -> None:
    print(f"load: {' '.join(f'{x:.2f}' for x in os.getloadavg())}  cores: {os.cpu_count()}")
    data = build()
    engine = TantivyBackend(Path(tempfile.mkdtemp(prefix="reco-bench-")))
    start = time.perf_counter()
    features: dict[int, recommend.JobFeatures] = {}
    batch = []
    for i in range(n):
        j = data.jobs[i % len(data.jobs)]
        company = f"{j.company} {i // len(data.jobs)}"
        batch.append(
            SearchDocument(
                public_id=str(i + 1),
                row_id=i + 1,
                title=j.title,
                skills=tuple(j.skills),
                description=j.description,
                company=company,
                location=j.city,
                remote=j.remote,
                country=j.country,
            )
        )
        if len(batch) == 20_000:
            quality.add_documents(engine, batch)
            batch = []
    if batch:
        quality.add_documents(engine, batch)
    print(f"indexed {n:,} jobs in {time.perf_counter() - start:.0f} s")
    template = {j.id: quality.features_for(j) for j in data.jobs}

    def feats(doc_id: int) -> recommend.JobFeatures:
        # stands in for the stored understanding read with the rows
        if doc_id not in features:
            t = template[data.jobs[(doc_id - 1) % len(data.jobs)].id]
            features[doc_id] = recommend.JobFeatures(
                id=doc_id,
                title=t.title,
                company=f"c{doc_id}",
                skills=t.skills,
                seniority=t.seniority,
                remote=t.remote,
            )
        return features[doc_id]

    signals = [quality.signals_for(r) for r in data.resumes]
    reco, base = [], []
    for round_ in range(3):
        for n_, s in enumerate(signals):
            t0 = time.perf_counter()
            ids = engine.search(
                SearchFilters(text=recommend.retrieval_query(recommend.retrieval_terms(s))), Page(limit=100)
            ).row_ids
            recommend.rank(s, [feats(i) for i in ids], limit=20)
            elapsed = (time.perf_counter() - t0) * 1000
            if round_ == 0 and n_ == 0:
                print(f"cold (first query after opening the index): {elapsed:.0f} ms")
            reco.append(elapsed)
            t0 = time.perf_counter()
            engine.search(SearchFilters(text=data.resumes[n_].headline), Page(limit=20))
            base.append((time.perf_counter() - t0) * 1000)
    print(f"recommendations (retrieve 100 + rank), {len(reco)} queries: {_q(reco)}")
    print(f"baseline keyword search (headline words), same index:  {_q(base)}")
