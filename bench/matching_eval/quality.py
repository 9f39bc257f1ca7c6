"""Recommendation quality (NDCG@10, overall and per occupation) and skill-extraction precision/recall on the
evaluation set, each against a lexical baseline measured in the same run. Called by `bench/matching.py`; the
ranking tests in tests/matching/test_recommend_quality.py use the same functions."""

from __future__ import annotations

import math
import re
import statistics
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

from bench.matching_eval.dataset import EvalSet, Job, Resume, build
from jobpilot.matching import recommend
from jobpilot.matching.taxonomy import normalize_skill
from jobpilot.matching.understanding import understand_job
from jobpilot.search.backend import Page, SearchDocument, SearchFilters
from jobpilot.search.tantivy_backend import TantivyBackend


def add_documents(engine: TantivyBackend, docs: list[SearchDocument]) -> None:
    engine.apply(upserts=docs, deletes=[], cursor=None)


K = 10
_WORD = re.compile(r"[a-z0-9+#]+")


def ndcg(ranked_ids: list[int], gains: dict[int, int], k: int = K) -> float:
    dcg = sum((2 ** gains.get(j, 0) - 1) / math.log2(i + 2) for i, j in enumerate(ranked_ids[:k]))
    ideal = sorted(gains.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def job_text(job: Job) -> str:
    return f"{job.title}. {', '.join(job.skills)}. {job.description}"


def resume_text(resume: Resume) -> str:
    return f"{resume.headline}. {', '.join(resume.skills)}. {resume.text}"


# --- baselines ----------------------------------------------------------------------------------------------------


def tfidf_rankings(data: EvalSet) -> dict[int, list[int]]:
    """Cosine of TF-IDF vectors (log tf, smoothed idf) of the resume's text and each job's text."""
    docs = {j.id: Counter(_WORD.findall(job_text(j).lower())) for j in data.jobs}
    df = Counter(w for counts in docs.values() for w in counts)
    n = len(docs)
    idf = {w: math.log((1 + n) / (1 + c)) + 1 for w, c in df.items()}

    def vec(counts: Counter) -> dict[str, float]:
        v = {w: (1 + math.log(c)) * idf.get(w, math.log(1 + n) + 1) for w, c in counts.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {w: x / norm for w, x in v.items()}

    job_vecs = {jid: vec(c) for jid, c in docs.items()}
    out = {}
    for r in data.resumes:
        q = vec(Counter(_WORD.findall(resume_text(r).lower())))
        scores = {jid: sum(x * jv.get(w, 0.0) for w, x in q.items()) for jid, jv in job_vecs.items()}
        out[r.id] = sorted(scores, key=lambda jid: (-scores[jid], jid))
    return out


def engine_for(data: EvalSet) -> TantivyBackend:
    engine = TantivyBackend(Path(tempfile.mkdtemp(prefix="matching-eval-")))
    add_documents(
        engine,
        [
            SearchDocument(
                public_id=str(j.id),
                row_id=j.id,
                title=j.title,
                skills=tuple(j.skills),
                description=j.description,
                company=j.company,
                location=f"{j.city} {j.country}",
                remote=j.remote,
                country=j.country,
            )
            for j in data.jobs
        ],
    )
    return engine


def bm25_rankings(data: EvalSet, engine: TantivyBackend) -> dict[int, list[int]]:
    """The search engine's own BM25 with every word of the resume as an OR query (what keyword search gives)."""
    out = {}
    for r in data.resumes:
        words = list(dict.fromkeys(_WORD.findall(resume_text(r).lower())))
        out[r.id] = engine.search(
            SearchFilters(text=recommend.retrieval_query(words)), Page(limit=100)
        ).row_ids
    return out


# --- the system ---------------------------------------------------------------------------------------------------


def signals_for(resume: Resume, embedding=None) -> recommend.SeekerSignals:
    return recommend.seeker_signals(
        skills=resume.skills,
        titles=resume.experience_titles,
        text=resume.text,
        experience_years=resume.years,
        work_arrangements=resume.desired_remote,
        embedding=embedding,
    )


def features_for(job: Job, embedding=None) -> recommend.JobFeatures:
    return recommend.job_features(
        id=job.id,
        title=job.title,
        company=job.company,
        listed_skills=job.skills,
        text=job.description,
        remote=job.remote,
        embedding=embedding,
    )


def system_rankings(
    data: EvalSet, engine: TantivyBackend, *, embed: bool, diverse: bool = True, retrieve: bool = True
) -> dict[int, list[int]]:
    """Candidates from the engine (the seeker's skills and title words, OR, bounded), then `recommend.rank`."""
    job_vecs = resume_vecs = None
    if embed:
        from jobpilot.matching import embeddings

        job_vecs = embeddings.encode([job_text(j)[:1100] for j in data.jobs])
        resume_vecs = embeddings.encode([resume_text(r) for r in data.resumes])
    features = {
        j.id: features_for(j, None if job_vecs is None else job_vecs[n].tolist())
        for n, j in enumerate(data.jobs)
    }
    out = {}
    for n, r in enumerate(data.resumes):
        signals = signals_for(r, None if resume_vecs is None else resume_vecs[n].tolist())
        if retrieve:
            ids = engine.search(
                SearchFilters(text=recommend.retrieval_query(recommend.retrieval_terms(signals))),
                Page(limit=100),
            ).row_ids
        else:
            ids = list(features)
        ranked = recommend.rank(
            signals,
            [features[i] for i in ids],
            limit=K,
            per_title=3 if diverse else K,
            per_company=4 if diverse else K,
        )
        out[r.id] = [s.job.id for s in ranked]
    return out


def ndcg_table(data: EvalSet, rankings: dict[int, list[int]]) -> tuple[float, dict[str, float]]:
    per_occ: dict[str, list[float]] = defaultdict(list)
    for r in data.resumes:
        gains = {j.id: data.labels.get((r.id, j.id), 0) for j in data.jobs}
        per_occ[r.occupation].append(ndcg(rankings[r.id], gains))
    overall = statistics.mean(v for vs in per_occ.values() for v in vs)
    return overall, {occ: statistics.mean(vs) for occ, vs in sorted(per_occ.items())}


def top_k_occupation_share(data: EvalSet, rankings: dict[int, list[int]], k: int = K) -> dict[str, float]:
    """Per occupation: the share of the top k that is of the seeker's own occupation (label >= 2)."""
    out: dict[str, list[float]] = defaultdict(list)
    for r in data.resumes:
        top = rankings[r.id][:k]
        out[r.occupation].append(sum(data.labels.get((r.id, j), 0) >= 2 for j in top) / k)
    return {occ: statistics.mean(v) for occ, v in out.items()}


# --- skill extraction ---------------------------------------------------------------------------------------------


def _truth_key(name: str) -> str:
    skill = normalize_skill(name)
    return skill.id if skill else f"unknown:{name.lower()}"


def extraction_scores(data: EvalSet) -> dict[str, tuple[float, float, float]]:
    """Micro precision/recall over the jobs' texts: the taxonomy extractor (with the listed skills, as publish
    does), and the baseline of canonical labels found as whole words (no synonyms, no boundaries rules)."""
    from jobpilot.matching.taxonomy import all_skills

    labels = [(s.id, re.compile(rf"(?<!\w){re.escape(s.label.lower())}(?!\w)")) for s in all_skills()]
    counts = {"taxonomy": [0, 0, 0], "label baseline": [0, 0, 0]}  # true positives, found, truth
    for job in data.jobs:
        truth = {_truth_key(s) for s in job.truth_skills}
        u = understand_job(title=job.title, description=job.description, listed_skills=job.skills)
        found = {s.id for s in (*u.required_skills, *u.nice_to_have_skills)}
        text = f"{job.title}. {job.description}".lower()
        baseline = {sid for sid, rx in labels if rx.search(text)}
        for name, got in (("taxonomy", found), ("label baseline", baseline)):
            c = counts[name]
            c[0] += len(got & truth)
            c[1] += len(got)
            c[2] += len(truth)
    out = {}
    for name, (tp, found, truth) in counts.items():
        p, r = tp / found if found else 0.0, tp / truth if truth else 0.0
        out[name] = (p, r, 2 * p * r / (p + r) if p + r else 0.0)
    return out


def report(*, embed: bool = True) -> None:
    data = build()
    engine = engine_for(data)
    print(
        f"evaluation set: {len(data.resumes)} resumes, {len(data.jobs)} jobs, {len(data.occupations)} "
        f"occupations, {len(data.labels)} non-zero labels; NDCG@{K} (gain 2^label - 1)"
    )
    runs = {
        "TF-IDF cosine (baseline)": tfidf_rankings(data),
        "BM25, resume words OR (baseline)": bm25_rankings(data, engine),
        "recommend, no embeddings": system_rankings(data, engine, embed=False),
    }
    if embed:
        runs["recommend + MiniLM similarity"] = system_rankings(data, engine, embed=True)
    tables = {name: ndcg_table(data, r) for name, r in runs.items()}
    for name, (overall, _per) in tables.items():
        print(f"  {name:<36} NDCG@{K} {overall:.3f}")
    occupations = data.occupations
    print("  per occupation: " + "  ".join(f"{o[:9]:>9}" for o in occupations))
    for name, (_overall, per) in tables.items():
        print(f"  {name[:14]:<14}  " + "  ".join(f"{per[o]:>9.3f}" for o in occupations))
    print("skill extraction over the jobs' texts (micro):")
    for name, (p, r, f) in extraction_scores(data).items():
        print(f"  {name:<16} precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}")
