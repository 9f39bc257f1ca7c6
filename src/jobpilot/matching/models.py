"""What JobPilot understood of each marketplace listing (ADR 0024). Public schema, one row per listed job."""

from django.contrib.postgres.fields import ArrayField
from django.db import models


class JobUnderstanding(models.Model):
    """Required and nice-to-have skills (taxonomy ids), seniority, an extractive summary and the MiniLM embedding of
    one `MarketplaceJob`. Derived state: written only by `matching.services.job_understanding_refresh` after the
    listing's own transaction commits, and gone with the listing (CASCADE).

    A table beside `marketplace_job`, not columns in it: the embedding (1,536 bytes) would double the width of the
    rows that every search scans, and the search index's writes stay as they are."""

    job = models.OneToOneField(
        "marketplace.MarketplaceJob", on_delete=models.CASCADE, primary_key=True, related_name="understanding"
    )
    required_skills = ArrayField(models.CharField(max_length=80), default=list)
    nice_to_have_skills = ArrayField(models.CharField(max_length=80), default=list)
    seniority = models.CharField(max_length=16)
    summary = models.JSONField(default=dict)  # {"responsibilities": [...], "requirements": [...], ...}
    # 384 little-endian float32 (`matching.embeddings.to_bytes`); no pgvector on our PostgreSQL.
    embedding = models.BinaryField()
    # sha256 of the text understood: an update that did not change it is not encoded again.
    text_hash = models.CharField(max_length=64)
    model = models.CharField(max_length=40, default="all-MiniLM-L6-v2")
    understood_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "matching_job_understanding"

    def __str__(self):
        return f"understanding of job {self.job_id}"
