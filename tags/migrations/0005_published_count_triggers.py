"""The database keeps Tag.published_count: taggings on stories whose status is
published (scheduled ones included; with_story_counts() takes those away).

Triggers on tags_taggedarticle and on a story's status change keep it exact
in the same transaction as the change, on PostgreSQL and on SQLite, whatever
code makes it (taggit, merges, revisions, cascades). The trending strip and
Similar News then read a column instead of counting 400,000 taggings.
"""

from django.db import migrations

PUBLISHED = "published"
IS_PUBLISHED = (
    "EXISTS (SELECT 1 FROM articles_article "
    "WHERE id = {row}.content_object_id AND status = '" + PUBLISHED + "')"
)
OLD_PUBLISHED = IS_PUBLISHED.format(row="OLD")
NEW_PUBLISHED = IS_PUBLISHED.format(row="NEW")

POSTGRES = [
    f"""
    CREATE OR REPLACE FUNCTION tags_count_tagging() RETURNS trigger AS $$
    BEGIN
        IF TG_OP <> 'INSERT' AND {OLD_PUBLISHED} THEN
            UPDATE tags_tag SET published_count = published_count - 1
            WHERE id = OLD.tag_id;
        END IF;
        IF TG_OP <> 'DELETE' AND {NEW_PUBLISHED} THEN
            UPDATE tags_tag SET published_count = published_count + 1
            WHERE id = NEW.tag_id;
        END IF;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER tags_count_tagging_insert_delete
    AFTER INSERT OR DELETE ON tags_taggedarticle
    FOR EACH ROW EXECUTE FUNCTION tags_count_tagging()
    """,
    """
    CREATE TRIGGER tags_count_tagging_update
    AFTER UPDATE OF tag_id, content_object_id ON tags_taggedarticle
    FOR EACH ROW WHEN (
        OLD.tag_id IS DISTINCT FROM NEW.tag_id
        OR OLD.content_object_id IS DISTINCT FROM NEW.content_object_id
    )
    EXECUTE FUNCTION tags_count_tagging()
    """,
    f"""
    CREATE OR REPLACE FUNCTION tags_count_story_status() RETURNS trigger AS $$
    BEGIN
        UPDATE tags_tag
        SET published_count = published_count
            + CASE WHEN NEW.status = '{PUBLISHED}' THEN 1 ELSE -1 END
        WHERE id IN (
            SELECT tag_id FROM tags_taggedarticle WHERE content_object_id = NEW.id
        );
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql
    """,
    f"""
    CREATE TRIGGER tags_count_story_status
    AFTER UPDATE OF status ON articles_article
    FOR EACH ROW WHEN (
        (OLD.status = '{PUBLISHED}') IS DISTINCT FROM (NEW.status = '{PUBLISHED}')
    )
    EXECUTE FUNCTION tags_count_story_status()
    """,
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS tags_count_tagging_insert_delete ON tags_taggedarticle",
    "DROP TRIGGER IF EXISTS tags_count_tagging_update ON tags_taggedarticle",
    "DROP TRIGGER IF EXISTS tags_count_story_status ON articles_article",
    "DROP FUNCTION IF EXISTS tags_count_tagging()",
    "DROP FUNCTION IF EXISTS tags_count_story_status()",
]

SQLITE = [
    f"""
    CREATE TRIGGER tags_count_tagging_insert AFTER INSERT ON tags_taggedarticle
    WHEN {NEW_PUBLISHED}
    BEGIN
        UPDATE tags_tag SET published_count = published_count + 1
        WHERE id = NEW.tag_id;
    END
    """,
    f"""
    CREATE TRIGGER tags_count_tagging_delete AFTER DELETE ON tags_taggedarticle
    WHEN {OLD_PUBLISHED}
    BEGIN
        UPDATE tags_tag SET published_count = published_count - 1
        WHERE id = OLD.tag_id;
    END
    """,
    f"""
    CREATE TRIGGER tags_count_tagging_update
    AFTER UPDATE OF tag_id, content_object_id ON tags_taggedarticle
    WHEN OLD.tag_id IS NOT NEW.tag_id
        OR OLD.content_object_id IS NOT NEW.content_object_id
    BEGIN
        UPDATE tags_tag SET published_count = published_count - 1
        WHERE id = OLD.tag_id AND {OLD_PUBLISHED};
        UPDATE tags_tag SET published_count = published_count + 1
        WHERE id = NEW.tag_id AND {NEW_PUBLISHED};
    END
    """,
    f"""
    CREATE TRIGGER tags_count_story_status AFTER UPDATE OF status ON articles_article
    WHEN (OLD.status = '{PUBLISHED}') IS NOT (NEW.status = '{PUBLISHED}')
    BEGIN
        UPDATE tags_tag
        SET published_count = published_count
            + CASE WHEN NEW.status = '{PUBLISHED}' THEN 1 ELSE -1 END
        WHERE id IN (
            SELECT tag_id FROM tags_taggedarticle WHERE content_object_id = NEW.id
        );
    END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS tags_count_tagging_insert",
    "DROP TRIGGER IF EXISTS tags_count_tagging_delete",
    "DROP TRIGGER IF EXISTS tags_count_tagging_update",
    "DROP TRIGGER IF EXISTS tags_count_story_status",
]

BACKFILL = f"""
    UPDATE tags_tag SET published_count = (
        SELECT COUNT(*) FROM tags_taggedarticle
        JOIN articles_article
            ON articles_article.id = tags_taggedarticle.content_object_id
        WHERE tags_taggedarticle.tag_id = tags_tag.id
        AND articles_article.status = '{PUBLISHED}'
    )
"""


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": POSTGRES, "sqlite": SQLITE}.get(vendor)
    if statements is None:
        raise NotImplementedError(f"No tag-count triggers for {vendor}.")
    for statement in statements:
        schema_editor.execute(statement)
    schema_editor.execute(BACKFILL)


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": POSTGRES_DROP, "sqlite": SQLITE_DROP}[vendor]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("tags", "0004_tag_published_count"),
        ("articles", "0010_article_comment_count"),
    ]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
