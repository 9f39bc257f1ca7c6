"""Ranking on the evaluation set (bench/matching_eval): aggregate figures over every resume, not hand-picked
cases. Thresholds sit below what the ranker measures today (bench/matching.py quality) so a regression fails."""

import pytest

from bench.matching_eval import quality
from bench.matching_eval.dataset import build


@pytest.fixture(scope="module")
def evaluation():
    data = build()
    engine = quality.engine_for(data)
    return data, quality.system_rankings(data, engine, embed=False)


def test_the_evaluation_set_is_large_enough_and_graded():
    data = build()
    assert len(data.resumes) >= 30 and len(data.jobs) >= 300 and len(data.occupations) >= 10
    assert set(data.labels.values()) == {1, 2, 3}


def test_recommendations_reach_a_high_ndcg_overall_and_in_every_occupation(evaluation):
    data, rankings = evaluation
    overall, per_occupation = quality.ndcg_table(data, rankings)
    assert overall >= 0.85
    assert min(per_occupation.values()) >= 0.6


def test_nurses_get_nursing_jobs_and_engineers_get_engineering_jobs(evaluation):
    data, rankings = evaluation
    share = quality.top_k_occupation_share(data, rankings)
    assert share["nursing"] >= 0.9
    assert share["software"] >= 0.9


def test_a_sales_engineer_job_never_tops_a_software_engineers_list(evaluation):
    data, rankings = evaluation
    spec_of = {j.id: j.spec for j in data.jobs}
    software = [r for r in data.resumes if r.occupation == "software"]
    top3 = [spec_of[j] for r in software for j in rankings[r.id][:3]]
    assert "sales_engineer" not in top3


def test_no_list_holds_more_than_three_copies_of_one_title(evaluation):
    data, rankings = evaluation
    title_of = {j.id: j.title.lower() for j in data.jobs}
    for ranked in rankings.values():
        titles = [title_of[j] for j in ranked]
        assert max(titles.count(t) for t in titles) <= 3


def test_the_taxonomy_extracts_skills_better_than_plain_label_matching():
    scores = quality.extraction_scores(build())
    precision, recall, f1 = scores["taxonomy"]
    assert precision >= 0.85 and recall >= 0.9
    assert f1 > scores["label baseline"][2]
