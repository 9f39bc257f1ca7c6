from django.db import migrations

# The pipeline history is evidence of who moved an application when: the database refuses to rewrite it. Rows still
# go with their application. The function lives in each employer's schema (created in the migrating schema, and
# copied with it when a new employer's schema is cloned from the template).
FORWARD = """
CREATE FUNCTION applications_statuschange_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'applications_statuschange is append-only';
END
$$;
CREATE TRIGGER applications_statuschange_append_only BEFORE UPDATE ON applications_statuschange
    FOR EACH ROW EXECUTE FUNCTION applications_statuschange_refuse_update();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS applications_statuschange_append_only ON applications_statuschange;
DROP FUNCTION IF EXISTS applications_statuschange_refuse_update();
"""


class Migration(migrations.Migration):
    dependencies = [("applications", "0002_default_stages")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
