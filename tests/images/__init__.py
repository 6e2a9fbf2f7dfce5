"""Pictures made in the tests, never downloaded."""

import io

from PIL import Image

FORMAT_FOR = {".jpg": "JPEG", ".png": "PNG", ".webp": "WEBP", ".gif": "GIF"}


def picture_bytes(
    size=(640, 360), fmt="JPEG", color=(40, 90, 160), exif=None, **save
) -> bytes:
    image = Image.new("RGB", size, color)
    out = io.BytesIO()
    if exif is not None:
        save["exif"] = exif
    image.save(out, format=fmt, **save)
    return out.getvalue()


def exif_with(orientation=None, gps=False, description="", artist="") -> Image.Exif:
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    if description:
        exif[0x010E] = description
    if artist:
        exif[0x013B] = artist
    if gps:
        exif[0x8825] = {1: "N", 2: (52.0, 22.0, 30.0), 3: "E", 4: (4.0, 53.0, 10.0)}
    return exif


COLOURS = [(200, 30, 30), (30, 160, 60), (30, 60, 200), (220, 200, 40), (40, 200, 200)]


def animated_bytes(
    size=(320, 180), frames=5, fmt="GIF", durations=None, **save
) -> bytes:
    """An animation made by Pillow: `frames` frames of changing colour."""
    pictures = [
        Image.new("RGB", size, COLOURS[n % len(COLOURS)]) for n in range(frames)
    ]
    out = io.BytesIO()
    pictures[0].save(
        out,
        format=fmt,
        save_all=True,
        append_images=pictures[1:],
        duration=durations or [100 + 50 * (n % 2) for n in range(frames)],
        loop=0,
        **save,
    )
    return out.getvalue()
