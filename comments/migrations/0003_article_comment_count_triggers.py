"""The database keeps Article.comment_count: the number of approved comments.

Triggers on comments_comment add or take away one as a comment is posted,
approved, held, rejected, deleted or removed, on PostgreSQL and on SQLite, in
the same transaction as the change, whatever code makes it (services, admin,
factories, cascades). Listings then read a column instead of counting a
million comments.
"""

from django.db import migrations

APPROVED = "approved"

POSTGRES = [
    f"""
    CREATE OR REPLACE FUNCTION comments_count_approved() RETURNS trigger AS $$
    BEGIN
        IF TG_OP <> 'INSERT' AND OLD.status = '{APPROVED}' THEN
            UPDATE articles_article SET comment_count = comment_count - 1
            WHERE id = OLD.article_id;
        END IF;
        IF TG_OP <> 'DELETE' AND NEW.status = '{APPROVED}' THEN
            UPDATE articles_article SET comment_count = comment_count + 1
            WHERE id = NEW.article_id;
        END IF;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    f"""
    CREATE TRIGGER comments_count_insert AFTER INSERT ON comments_comment
    FOR EACH ROW WHEN (NEW.status = '{APPROVED}')
    EXECUTE FUNCTION comments_count_approved()
    """,
    f"""
    CREATE TRIGGER comments_count_delete AFTER DELETE ON comments_comment
    FOR EACH ROW WHEN (OLD.status = '{APPROVED}')
    EXECUTE FUNCTION comments_count_approved()
    """,
    """
    CREATE TRIGGER comments_count_update
    AFTER UPDATE OF status, article_id ON comments_comment
    FOR EACH ROW WHEN (
        OLD.status IS DISTINCT FROM NEW.status
        OR OLD.article_id IS DISTINCT FROM NEW.article_id
    )
    EXECUTE FUNCTION comments_count_approved()
    """,
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS comments_count_insert ON comments_comment",
    "DROP TRIGGER IF EXISTS comments_count_delete ON comments_comment",
    "DROP TRIGGER IF EXISTS comments_count_update ON comments_comment",
    "DROP FUNCTION IF EXISTS comments_count_approved()",
]

SQLITE = [
    f"""
    CREATE TRIGGER comments_count_insert AFTER INSERT ON comments_comment
    WHEN NEW.status = '{APPROVED}'
    BEGIN
        UPDATE articles_article SET comment_count = comment_count + 1
        WHERE id = NEW.article_id;
    END
    """,
    f"""
    CREATE TRIGGER comments_count_delete AFTER DELETE ON comments_comment
    WHEN OLD.status = '{APPROVED}'
    BEGIN
        UPDATE articles_article SET comment_count = comment_count - 1
        WHERE id = OLD.article_id;
    END
    """,
    f"""
    CREATE TRIGGER comments_count_update
    AFTER UPDATE OF status, article_id ON comments_comment
    WHEN OLD.status IS NOT NEW.status OR OLD.article_id IS NOT NEW.article_id
    BEGIN
        UPDATE articles_article SET comment_count = comment_count - 1
        WHERE id = OLD.article_id AND OLD.status = '{APPROVED}';
        UPDATE articles_article SET comment_count = comment_count + 1
        WHERE id = NEW.article_id AND NEW.status = '{APPROVED}';
    END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS comments_count_insert",
    "DROP TRIGGER IF EXISTS comments_count_delete",
    "DROP TRIGGER IF EXISTS comments_count_update",
]

BACKFILL = f"""
    UPDATE articles_article SET comment_count = (
        SELECT COUNT(*) FROM comments_comment
        WHERE comments_comment.article_id = articles_article.id
        AND comments_comment.status = '{APPROVED}'
    )
"""


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": POSTGRES, "sqlite": SQLITE}.get(vendor)
    if statements is None:
        raise NotImplementedError(f"No comment-count triggers for {vendor}.")
    for statement in statements:
        schema_editor.execute(statement)
    schema_editor.execute(BACKFILL)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": POSTGRES_DROP, "sqlite": SQLITE_DROP}[vendor]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0002_moderators"),
        ("articles", "0010_article_comment_count"),
    ]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
