from django.db import migrations

# How the index's rows are laid out on disk, for search speed (see marketplace/search.py):
# - Search re-reads the tsvector of every candidate it visits (to check phrases and negations, and to rank). Stored
#   the default way, a vector is the widest value of the row and is the first to be moved to the TOAST table,
#   which makes every visit an extra index lookup: 5x slower. MAIN keeps it in the row (compressed if need be).
# - The long texts (body, HTML) are only read by the job page: they are the ones to compress and move out.
# - lz4 decompresses several times faster than the default pglz; servers built without it keep pglz.
VECTORS = ["search_vector", "head_vector"]
LONG_TEXTS = ["body_text", "description_html", "requirements_html", "benefits_html"]

STORAGE = "ALTER TABLE marketplace_job {}".format(
    ", ".join(f"ALTER COLUMN {column} SET STORAGE MAIN" for column in VECTORS)
)
STORAGE_DEFAULT = "ALTER TABLE marketplace_job {}".format(
    ", ".join(f"ALTER COLUMN {column} SET STORAGE EXTENDED" for column in VECTORS)
)
LZ4 = """
DO $$
BEGIN
    ALTER TABLE marketplace_job {};
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
    RAISE NOTICE 'lz4 is not available on this server; marketplace_job keeps pglz compression';
END $$;
""".format(", ".join(f"ALTER COLUMN {column} SET COMPRESSION lz4" for column in VECTORS + LONG_TEXTS))
LZ4_DEFAULT = "ALTER TABLE marketplace_job {}".format(
    ", ".join(f"ALTER COLUMN {column} SET COMPRESSION default" for column in VECTORS + LONG_TEXTS)
)


class Migration(migrations.Migration):
    dependencies = [("marketplace", "0001_initial")]

    operations = [migrations.RunSQL(STORAGE, STORAGE_DEFAULT), migrations.RunSQL(LZ4, LZ4_DEFAULT)]
