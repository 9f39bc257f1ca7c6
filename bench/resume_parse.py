"""Resume parse time (extraction + quality gate + fields) over generated PDF and .docx resumes: p50/p95/p99.

    .venv/bin/python bench/resume_parse.py [count]
"""

import statistics
import sys
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[1] / "src")]

from jobpilot.seekers import parsing  # noqa: E402
from tests.seekers.files import docx_bytes, pdf_bytes  # noqa: E402


def resume_lines(n: int) -> list[str]:
    lines = [f"Alex Morgan{n % 7}".rstrip("0123456789"), f"alex{n}@example.com | +1 415 555 {1000 + n % 9000}"]
    lines += ["linkedin.com/in/alex", "Summary", "Engineer who ships reliable systems. " * 3, "Experience"]
    for job in range(6):
        year = 2004 + job * 3
        lines += [f"Engineer {job} at Company {n}-{job}", f"Jan {year} - Dec {year + 3}"]
        lines += [f"Built and ran service number {k} for many customers." for k in range(4)]
    lines += ["Education", "BSc Computer Science, State University, 2003", "Skills", "Python, SQL, Go, Docker"]
    return lines


def main(count: int) -> None:
    files = [(pdf_bytes if i % 2 else docx_bytes)(*resume_lines(i)) for i in range(count)]
    timings = []
    for content in files:
        start = time.perf_counter()
        parsing.parse_resume(content)
        timings.append((time.perf_counter() - start) * 1000)
    q = statistics.quantiles(timings, n=100)
    print(f"{count} resumes (half PDF, half .docx): p50 {q[49]:.1f} ms  p95 {q[94]:.1f} ms  p99 {q[98]:.1f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
