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
