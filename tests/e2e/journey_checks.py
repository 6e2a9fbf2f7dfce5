"""Checks a browser journey makes on every screen: what fits, and a
screenshot kept for the lead under /work/notes/shots/ when that exists."""

from pathlib import Path

WIDTHS = (1280, 375)


def assert_fits(page, widths=WIDTHS) -> None:
    """No horizontal scrolling at a laptop's and a phone's width."""
    height = page.viewport_size["height"]
    for width in widths:
        page.set_viewport_size({"width": width, "height": height})
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - "
            "document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at {width}"
    page.set_viewport_size({"width": widths[0], "height": height})


def keep_shots(screenshot, folder: str):
    """`screenshot`, also saving at both widths under `folder` if it exists."""
    target = Path(folder)

    def take(page, name: str) -> None:
        screenshot(page, name)
        if not target.is_dir():
            return
        height = page.viewport_size["height"]
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": height})
            page.screenshot(path=target / f"{name}-{width}.png", full_page=True)
        page.set_viewport_size({"width": WIDTHS[0], "height": height})

    return take
