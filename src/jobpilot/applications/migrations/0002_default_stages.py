from django.db import migrations

# Runs in every tenant schema (and in the template schema new tenants are cloned from, rows included), so every
# employer starts with this pipeline.
DEFAULT_STAGES = [
    # (name, public status, initial, rejection reasons)
    ("Applied", "applied", True, []),
    ("Screening", "in_review", False, []),
    ("Interview", "interviewing", False, []),
    ("Offer", "offer", False, []),
    ("Hired", "hired", False, []),
    (
        "Rejected",
        "not_selected",
        False,
        [
            "Not enough experience",
            "Skills do not match",
            "Position filled",
            "Candidate not responsive",
            "Other",
        ],
    ),
]


def create_default_stages(apps, schema_editor):
    PipelineStage = apps.get_model("applications", "PipelineStage")
    for position, (name, public_status, is_initial, reasons) in enumerate(DEFAULT_STAGES):
        PipelineStage.objects.get_or_create(
            name=name,
            defaults={
                "position": position,
                "public_status": public_status,
                "is_initial": is_initial,
                "rejection_reasons": reasons,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial")]

    operations = [migrations.RunPython(create_default_stages, migrations.RunPython.noop)]
