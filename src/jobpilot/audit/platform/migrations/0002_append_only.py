from django.db import migrations

# What platform staff did is evidence too: the database refuses to rewrite or delete it.
FORWARD = """
CREATE FUNCTION platform_audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'platform_audit_platformauditentry is append-only';
END
$$;
CREATE TRIGGER platform_audit_append_only BEFORE UPDATE OR DELETE ON platform_audit_platformauditentry
    FOR EACH ROW EXECUTE FUNCTION platform_audit_refuse_change();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS platform_audit_append_only ON platform_audit_platformauditentry;
DROP FUNCTION IF EXISTS platform_audit_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("platform_audit", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
