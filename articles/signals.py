"""What the articles app tells others about changes readers may see.

Sent by articles/changes.py (from the models' own save and delete signals,
so every way of saving counts); pagecache/signals.py turns them into the
surrogate keys of the pages that show what changed. This module imports no
models: any app may listen without loading articles.

Every story signal carries `story_id` and the ids of the `section_ids`,
`author_ids` and `tag_ids` whose listings it touched (empty when none did).
"""

from django.dispatch import Signal

# A story became public (live now or scheduled): it enters its listings.
story_published = Signal()

# A public story left the public site (back to draft, withdrawn, deleted).
story_unpublished = Signal()

# A story's page changed (text, corrections, Go deeper links, byline, tags).
# `live`: a public story changed, so feeds, sitemaps, search and the schedule
# show the change too. `moved`: it also moved between listings (new section,
# new publication time), so the headlines page may show it differently.
story_changed = Signal()

# A correction or update note was added to a story (`story_id`,
# `correction_id`). Sent by services.article_correct; story_changed follows too.
story_corrected = Signal()

# A story that is not public was saved: a go-live time may have changed.
draft_saved = Signal()

# A section was added, renamed or removed (`section_id`): the masthead shows
# every section.
section_changed = Signal()

# An author's details changed (`author_id`, `story_ids` of their bylines).
author_changed = Signal()

# Editors changed the headlines page's curated slots.
front_page_changed = Signal()
