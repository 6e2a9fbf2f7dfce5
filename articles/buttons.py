"""The story form's buttons: each a verb that says what happens.

Only what the person's role and the story's state allow is offered
(`workflow.allowed_actions`); the server checks again whatever is posted.
Buttons that change what readers see carry the sentence the confirmation
step shows ("Readers will see this story … now").
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from articles import workflow
from articles.models import Article
from articles.workflow import Action

# "Tue 2 Dec, 06:00" in the site's language and time zone; the form's script
# writes the same shape while the time is typed.
SCHEDULE_FORMAT = "D j M, H:i"


@dataclass(frozen=True)
class Button:
    name: str  # the POST key the server reads
    label: str
    confirm: str = ""  # what readers will see; empty: no confirmation step
    primary: bool = False
    disabled: bool = False
    # "Schedule for %s" and the label without a time, for the form's script.
    label_template: str = ""
    label_empty: str = ""


def schedule_label(when: datetime | None) -> str:
    if when is None:
        return _("Schedule (choose a time)")
    local = timezone.localtime(when) if timezone.is_aware(when) else when
    return _("Schedule for %(when)s") % {"when": date_format(local, SCHEDULE_FORMAT)}


def save_button(article: Article) -> Button:
    live = article.pk is not None and (article.is_live or article.is_scheduled)
    label = _("Save changes") if live else _("Save draft")
    return Button("_continue", label, primary=True)


def workflow_buttons(
    user, article: Article, go_live_at: datetime | None = None
) -> list[Button]:
    buttons = []
    for action in workflow.allowed_actions(user, article):
        if action == Action.PUBLISH and article.is_live:
            continue
        name = f"_{action.value}"
        if action == Action.SCHEDULE:
            buttons.append(
                Button(
                    name,
                    schedule_label(go_live_at),
                    confirm=_(
                        "Readers will see this story on the front page and in "
                        "feeds from the time you chose, and not before."
                    ),
                    disabled=go_live_at is None,
                    label_template=_("Schedule for %(when)s") % {"when": "%s"},
                    label_empty=schedule_label(None),
                )
            )
        elif action == Action.PUBLISH:
            buttons.append(
                Button(
                    name,
                    _("Publish now"),
                    confirm=_(
                        "Readers will see this story on the front page and in "
                        "feeds now."
                    ),
                )
            )
        elif action == Action.UNPUBLISH:
            confirm = (
                _("Readers will not see this story: its go-live is cancelled.")
                if article.is_scheduled
                else _(
                    "Readers will no longer see this story: its page, its place "
                    "on the front page and its feed entry are taken down."
                )
            )
            buttons.append(Button(name, _("Unpublish"), confirm=confirm))
        else:
            buttons.append(Button(name, str(action.label)))
    return buttons
