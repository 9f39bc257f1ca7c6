from django.db import migrations

# The status history is evidence of what happened when: the database refuses to rewrite it. Rows still go when
# their application or their seeker is deleted.
FORWARD = """
CREATE FUNCTION tracker_event_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'tracker_trackedapplicationevent is append-only';
END
$$;
CREATE TRIGGER tracker_event_append_only BEFORE UPDATE ON tracker_trackedapplicationevent
    FOR EACH ROW EXECUTE FUNCTION tracker_event_refuse_update();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS tracker_event_append_only ON tracker_trackedapplicationevent;
DROP FUNCTION IF EXISTS tracker_event_refuse_update();
"""


class Migration(migrations.Migration):
    dependencies = [("tracker", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
