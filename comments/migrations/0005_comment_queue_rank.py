"""The moderation queue sorts on an indexed column instead of a computed rule.

The database keeps Comment.report_count with triggers on comments_commentreport
(PostgreSQL and SQLite), and Comment.queue_rank is a stored generated column:
0 waiting, 1 reported, 2 the rest. The queue's order (queue_rank, created_at,
id) is then an index, and a page of it reads fifty entries, not a sort of a
million comments.
"""

from importlib import import_module

from django.db import migrations, models

comment_count = import_module("comments.migrations.0003_article_comment_count_triggers")

POSTGRES = [
    """
    CREATE OR REPLACE FUNCTION comments_count_reports() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            UPDATE comments_comment SET report_count = report_count + 1
            WHERE id = NEW.comment_id;
        ELSE
            UPDATE comments_comment SET report_count = report_count - 1
            WHERE id = OLD.comment_id;
        END IF;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER comments_reports_insert AFTER INSERT ON comments_commentreport
    FOR EACH ROW EXECUTE FUNCTION comments_count_reports()
    """,
    """
    CREATE TRIGGER comments_reports_delete AFTER DELETE ON comments_commentreport
    FOR EACH ROW EXECUTE FUNCTION comments_count_reports()
    """,
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS comments_reports_insert ON comments_commentreport",
    "DROP TRIGGER IF EXISTS comments_reports_delete ON comments_commentreport",
    "DROP FUNCTION IF EXISTS comments_count_reports()",
]
SQLITE = [
    """
    CREATE TRIGGER comments_reports_insert AFTER INSERT ON comments_commentreport
    BEGIN
        UPDATE comments_comment SET report_count = report_count + 1
        WHERE id = NEW.comment_id;
    END
    """,
    """
    CREATE TRIGGER comments_reports_delete AFTER DELETE ON comments_commentreport
    BEGIN
        UPDATE comments_comment SET report_count = report_count - 1
        WHERE id = OLD.comment_id;
    END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS comments_reports_insert",
    "DROP TRIGGER IF EXISTS comments_reports_delete",
]

BACKFILL = """
    UPDATE comments_comment SET report_count = (
        SELECT COUNT(*) FROM comments_commentreport
        WHERE comments_commentreport.comment_id = comments_comment.id
    )
    WHERE id IN (SELECT comment_id FROM comments_commentreport)
"""


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": POSTGRES, "sqlite": SQLITE}.get(vendor)
    if statements is None:
        raise NotImplementedError(f"No report-count triggers for {vendor}.")
    if vendor == "sqlite":
        # Rebuilding comments_comment dropped the comment-count triggers on it.
        statements = comment_count.SQLITE_DROP + comment_count.SQLITE + statements
    for statement in statements:
        schema_editor.execute(statement)
    schema_editor.execute(BACKFILL)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": POSTGRES_DROP, "sqlite": SQLITE_DROP}[vendor]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0004_comment_author_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="report_count",
            field=models.PositiveIntegerField(
                default=0,
                editable=False,
                help_text="Kept by the database as readers report the comment.",
                verbose_name="reports",
            ),
        ),
        migrations.AddField(
            model_name="comment",
            name="queue_rank",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Case(
                    models.When(status="pending", then=0),
                    models.When(report_count__gt=0, then=1),
                    default=2,
                ),
                output_field=models.PositiveSmallIntegerField(),
                verbose_name="place in the moderation queue",
            ),
        ),
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(
                fields=["queue_rank", "created_at", "id"], name="comments_rank_idx"
            ),
        ),
        # Last: SQLite rebuilds comments_comment to add a stored column, which
        # a trigger naming that table would not survive.
        migrations.RunPython(create_triggers, drop_triggers),
    ]
