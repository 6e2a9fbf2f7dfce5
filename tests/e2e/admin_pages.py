"""Steps in the Django admin that several browser journeys share."""

from django.contrib.auth.models import Group

from tests.factories import UserFactory


def staff(username, password, group):
    user = UserFactory(username=username, password=password, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def admin_login(page, username: str, password: str) -> None:
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.locator("#user-tools").wait_for()


def choose_autocomplete(page, select_id: str, text: str) -> None:
    """Pick `text` in one of the admin's select2 autocomplete widgets."""
    page.locator(f"#{select_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def confirm_and_press(page, button_name: str) -> str:
    """Press a workflow button that asks first, and confirm in its dialog.
    Returns what the dialog told the person readers will see."""
    page.click(f"input[name={button_name}]")
    dialog = page.locator("dialog.publish-confirm[open]")
    dialog.wait_for()
    readers = dialog.locator(".publish-confirm__readers").inner_text()
    dialog.locator(".publish-confirm__go").click()
    return readers


def assert_no_horizontal_overflow(page) -> None:
    width = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert width[0] <= width[1], f"the page scrolls sideways: {width}"


def press_crafted_button(page, name: str, where: str = ".submit-row") -> None:
    """Add a submit button the server never offered, and press it."""
    page.evaluate(
        """([name, where]) => {
            const button = document.createElement('input');
            button.type = 'submit'; button.name = name; button.value = 'x';
            document.querySelector(where).append(button);
        }""",
        [name, where],
    )
    page.click(f"input[name={name}]")


def add_correction(page, text: str) -> None:
    """On an open story form: append a correction and save."""
    page.click("text=Add another Correction or update")
    page.select_option("#id_corrections-0-kind", "correction")
    page.fill("#id_corrections-0-text", text)
    page.click("input[name=_continue]")
    page.locator(".messagelist .success").wait_for()


def fill_story_top(page, headline: str, dek: str) -> None:
    """Headline, dek, section "World news" and the byline "Ines Okafor"."""
    page.fill("#id_headline", headline)
    page.fill("#id_dek", dek)
    choose_autocomplete(page, "id_section", "World news")
    choose_autocomplete(page, "id_bylines-0-author", "Ines Okafor")


def type_and_link(page, word: str):
    """In the body editor: type `word`, select it and open the link dialog."""
    page.keyboard.type(word)
    for _ in range(len(word)):
        page.keyboard.press("Shift+ArrowLeft")
    page.locator(".prose-menubar button[data-name=link]").click()
    return page.locator("dialog[open]")
