"""The matching evaluation set: generated resumes and jobs over twelve occupations with graded relevance labels.
`dataset.build()` is deterministic; `python bench/matching_eval/dataset.py` writes it out as JSON to look at."""
