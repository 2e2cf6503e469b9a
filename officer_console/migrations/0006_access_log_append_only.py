"""The access log refused at the database itself on PostgreSQL (docs/PRODUCTION.md, "The access log").

A row may never change, with one exception: deleting a user or a submission
sets its reference to NULL (on_delete=SET_NULL); the row keeps the username
and the subject's reference as text. A row may be deleted only by the
retention purge (AccessLog.objects.purge_before), which names its cutoff in
the transaction-local setting minwon.access_log_purge_before, and only if it
is older than that cutoff. SQLite has no such trigger; the model refuses there.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION officer_console_accesslog_append_only() RETURNS trigger AS $$
DECLARE
    cutoff text := current_setting('minwon.access_log_purge_before', true);
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF (NEW.user_id IS NULL OR NEW.user_id = OLD.user_id)
           AND (NEW.submission_id IS NULL OR NEW.submission_id = OLD.submission_id)
           AND to_jsonb(NEW) - 'user_id' - 'submission_id' = to_jsonb(OLD) - 'user_id' - 'submission_id' THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'access log entries cannot be changed (id %)', OLD.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF cutoff IS NOT NULL AND cutoff <> '' AND OLD.at < cutoff::timestamptz THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'access log entries cannot be deleted (id %); purge_access_log removes expired ones', OLD.id
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER officer_console_accesslog_append_only
    BEFORE UPDATE OR DELETE ON officer_console_accesslog
    FOR EACH ROW EXECUTE FUNCTION officer_console_accesslog_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS officer_console_accesslog_append_only ON officer_console_accesslog;
DROP FUNCTION IF EXISTS officer_console_accesslog_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("officer_console", "0005_membership_one_per_role"),
    ]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
