"""Pillow work for the image library: checking uploads, cleaning originals,
reading photographers' credits, and cutting renditions around a focal point.

Nothing here touches the database; `services.image_*` store the results
through Django's storage API.
"""

import io
import re
import warnings
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import (
    Image,
    ImageOps,
    ImageSequence,
    IptcImagePlugin,
    UnidentifiedImageError,
    features,
)

# Pillow's format name -> file endings that may carry it.
ALLOWED_FORMATS = {
    "JPEG": {".jpg", ".jpeg"},
    "PNG": {".png"},
    "WEBP": {".webp"},
    "GIF": {".gif"},
}
if features.check("avif"):
    ALLOWED_FORMATS["AVIF"] = {".avif"}

# check_and_clean() refuses these itself, with a message for the editor.
warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)

# Crops offered to templates: name -> width/height, None keeps the original's.
RATIOS = {"16:9": 16 / 9, "1:1": 1.0, "original": None}
WIDTHS = (480, 800, 1200, 1600)
# A modern format first, JPEG for every browser.
RENDITION_FORMATS = (("webp", "WEBP"), ("jpeg", "JPEG"))
QUALITY = 82
# Formats whose animation is kept (in the original and the WebP renditions;
# the JPEG fallback shows the first frame).
ANIMATED_FORMATS = {"GIF", "WEBP", "PNG"}


@dataclass
class Upload:
    """A decoded, checked upload, cleaned for publication."""

    content: bytes
    format: str
    extension: str
    width: int
    height: int
    caption: str
    credit: str


def _human_size(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def check_size(size: int) -> None:
    limit = settings.NEWSROOM_IMAGE_MAX_BYTES
    if size > limit:
        raise ValidationError(
            _("The file is %(size)s; images may be at most %(limit)s.")
            % {"size": _human_size(size), "limit": _human_size(limit)},
            code="too_big",
        )


def check_and_clean(name: str, data: bytes) -> Upload:
    """Decode `data`, refuse what isn't a safe, allowed picture, and return it
    with EXIF orientation applied and personal metadata (GPS, camera serials,
    everything in EXIF, IPTC and XMP) removed. Animations keep their frames
    within the frame and pixel limits. Raises ValidationError."""
    check_size(len(data))
    extension = PurePath(name).suffix.lower()
    too_many_pixels = ValidationError(
        _(
            "The picture is too large in pixels (limit: %(limit)s million, every "
            "frame of an animation counted). Export a smaller version."
        )
        % {"limit": settings.NEWSROOM_IMAGE_MAX_PIXELS // 1_000_000},
        code="bomb",
    )
    try:
        image = Image.open(io.BytesIO(data))
        # Only the header is read so far: refuse before decoding a bomb.
        if image.width * image.height > settings.NEWSROOM_IMAGE_MAX_PIXELS:
            raise too_many_pixels
        fmt = image.format
        if fmt not in ALLOWED_FORMATS:
            raise ValidationError(
                _("%(format)s files are not accepted. Use JPEG, PNG, WebP or GIF.")
                % {"format": fmt},
                code="format",
            )
        if extension not in ALLOWED_FORMATS[fmt]:
            raise ValidationError(
                _(
                    "The file is a %(format)s picture but its name ends in "
                    "“%(extension)s”. Rename it and upload it again."
                )
                % {"format": fmt, "extension": extension or _("nothing")},
                code="extension",
            )
        # Counting frames skips through the file without decoding them.
        frames = getattr(image, "n_frames", 1) if fmt in ANIMATED_FORMATS else 1
        check_frames(image.width, image.height, frames)
        caption, credit = read_caption_and_credit(image)
        info = dict(image.info)
        if frames > 1:
            cleaned = _clean_frames(image)  # decodes every frame
        else:
            image.load()  # decodes every byte: truncated files fail here
            cleaned = [ImageOps.exif_transpose(image)]
    except Image.DecompressionBombError:
        raise too_many_pixels from None
    except UnidentifiedImageError:
        raise ValidationError(
            _("This file is not a picture we can read."), code="not_image"
        ) from None
    except (OSError, EOFError, SyntaxError, ValueError):
        raise ValidationError(
            _("The picture is damaged or incomplete. Export it again and retry."),
            code="corrupt",
        ) from None
    return Upload(
        content=_encode_clean(cleaned, fmt, info),
        format=fmt,
        extension=sorted(ALLOWED_FORMATS[fmt])[0],
        width=cleaned[0].width,
        height=cleaned[0].height,
        caption=caption,
        credit=credit,
    )


def check_frames(width: int, height: int, frames: int) -> None:
    """An animation is refused past the frame limit, or when its frames hold
    more pixels together than one picture may."""
    limit = settings.NEWSROOM_IMAGE_MAX_FRAMES
    if frames > limit:
        raise ValidationError(
            _(
                "The animation has %(frames)d frames; at most %(limit)d are "
                "accepted. Shorten it or lower its frame rate and export it again."
            )
            % {"frames": frames, "limit": limit},
            code="frames",
        )
    if width * height * frames > settings.NEWSROOM_IMAGE_MAX_PIXELS:
        raise ValidationError(
            _(
                "The animation is too large: %(frames)d frames of %(width)d × "
                "%(height)d px make more than %(limit)s million pixels. Make it "
                "smaller or shorter and export it again."
            )
            % {
                "frames": frames,
                "width": width,
                "height": height,
                "limit": settings.NEWSROOM_IMAGE_MAX_PIXELS // 1_000_000,
            },
            code="bomb",
        )


def _clean_frames(image: Image.Image) -> list[Image.Image]:
    """Every frame as a full RGBA picture with its display time, and no
    metadata: nothing of the file's EXIF, XMP or comments travels on."""
    frames = []
    for frame in ImageSequence.Iterator(image):
        duration = frame.info.get("duration")
        clean = ImageOps.exif_transpose(frame.convert("RGBA"))
        clean.info = {"duration": duration} if duration else {}
        frames.append(clean)
    return frames


def _animation_options(frames: list[Image.Image], info: dict) -> dict:
    return {
        "save_all": True,
        "append_images": frames[1:],
        "duration": [frame.info.get("duration", 100) for frame in frames],
        "loop": info.get("loop", 0),
    }


def _encode_clean(frames: list[Image.Image], fmt: str, info: dict) -> bytes:
    """Re-encode without EXIF, IPTC or XMP; keep the colour profile and the
    animation."""
    image = frames[0]
    out = io.BytesIO()
    options = {"icc_profile": info.get("icc_profile")} if fmt != "GIF" else {}
    if fmt in {"JPEG", "WEBP", "AVIF"}:
        options["quality"] = 95
    if fmt == "JPEG" and image.mode not in {"RGB", "L", "CMYK"}:
        image = image.convert("RGB")
    if len(frames) > 1:
        options.update(_animation_options(frames, info))
    image.save(out, format=fmt, **{k: v for k, v in options.items() if v is not None})
    return out.getvalue()


# --- Photographers' captions and credits --------------------------------------------

_EXIF_DESCRIPTION, _EXIF_ARTIST, _EXIF_COPYRIGHT = 0x010E, 0x013B, 0x8298
_IPTC_CAPTION, _IPTC_BYLINE, _IPTC_CREDIT, _IPTC_SOURCE = (
    (2, 120),
    (2, 80),
    (2, 110),
    (2, 115),
)


def _text(value) -> str:
    if isinstance(value, list):
        value = value[0] if value else b""
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    return " ".join(str(value or "").split())[:500]


def _xmp(image: Image.Image, *tags: str) -> str:
    raw = image.info.get("xmp") or image.info.get("XML:com.adobe.xmp") or b""
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", errors="replace")
    for tag in tags:
        match = re.search(
            rf"<{tag}[^>]*>(?:\s*<rdf:(?:Alt|Seq|Bag)>\s*<rdf:li[^>]*>)?([^<]+)<",
            raw,
        ) or re.search(rf'{tag}="([^"]+)"', raw)
        if match:
            return _text(match.group(1))
    return ""


def read_caption_and_credit(image: Image.Image) -> tuple[str, str]:
    """Caption and credit as the photographer filled them in, if they did:
    IPTC first (what agencies use), then XMP, then EXIF."""
    iptc = IptcImagePlugin.getiptcinfo(image) or {}
    exif = image.getexif()
    caption = (
        _text(iptc.get(_IPTC_CAPTION))
        or _xmp(image, "dc:description")
        or _text(exif.get(_EXIF_DESCRIPTION))
    )
    byline = (
        _text(iptc.get(_IPTC_BYLINE))
        or _xmp(image, "dc:creator")
        or _text(exif.get(_EXIF_ARTIST))
    )
    agency = (
        _text(iptc.get(_IPTC_CREDIT))
        or _text(iptc.get(_IPTC_SOURCE))
        or _xmp(image, "photoshop:Credit")
        or _text(exif.get(_EXIF_COPYRIGHT))
    )
    credit = " / ".join(part for part in (byline, agency) if part)
    return caption, credit


# --- Renditions ---------------------------------------------------------------------


def crop_box(
    size: tuple[int, int], ratio: float | None, focal: tuple[float, float]
) -> tuple[int, int, int, int]:
    """The largest box of `ratio` inside `size`, as centred on the focal point
    (fractions of width and height) as the edges allow."""
    width, height = size
    if ratio is None:
        return (0, 0, width, height)
    if width / height > ratio:
        box_w, box_h = round(height * ratio), height
    else:
        box_w, box_h = width, round(width / ratio)
    left = min(max(round(focal[0] * width - box_w / 2), 0), width - box_w)
    top = min(max(round(focal[1] * height - box_h / 2), 0), height - box_h)
    return (left, top, left + box_w, top + box_h)


def renditions(content: bytes, focal: tuple[float, float]) -> list[tuple[dict, bytes]]:
    """Every rendition of the cleaned picture: (description, encoded bytes).

    Widths larger than the crop itself are skipped, never upscaled. An
    animation gives animated WebP renditions and a still JPEG fallback (its
    first frame); its frames are decoded again for each crop, so that only
    one crop's frames are held at a time.
    """
    source = Image.open(io.BytesIO(content))
    frames = getattr(source, "n_frames", 1) if source.format in ANIMATED_FORMATS else 1
    check_frames(source.width, source.height, frames)
    size = source.size
    made = []
    for ratio_name, ratio in RATIOS.items():
        box = crop_box(size, ratio, focal)
        box_width, box_height = box[2] - box[0], box[3] - box[1]
        widths = [w for w in WIDTHS if w <= box_width] or [box_width]
        sizes = [(w, max(1, round(box_height * w / box_width))) for w in widths]
        cut = {dimensions: [] for dimensions in sizes}
        for frame in _source_frames(source, frames):
            cropped = frame.crop(box)
            for dimensions in sizes:
                resized = cropped.resize(dimensions, Image.Resampling.LANCZOS)
                resized.info = frame.info
                cut[dimensions].append(resized)
        for (width, height), resized in cut.items():
            for extension, fmt in RENDITION_FORMATS:
                out = io.BytesIO()
                if fmt == "JPEG":
                    _flatten(resized[0]).save(
                        out, format=fmt, quality=QUALITY, optimize=True
                    )
                else:
                    options = (
                        _animation_options(resized, source.info)
                        if len(resized) > 1
                        else {}
                    )
                    resized[0].save(out, format=fmt, quality=QUALITY, **options)
                made.append(
                    (
                        {
                            "ratio": ratio_name,
                            "width": width,
                            "height": height,
                            "format": extension,
                        },
                        out.getvalue(),
                    )
                )
    return made


def _source_frames(source: Image.Image, frames: int):
    """The picture's frames, converted for resizing (one for a still)."""
    if frames == 1:
        source.seek(0)
        yield source.convert("RGBA" if _has_alpha(source) else "RGB")
        return
    for frame in ImageSequence.Iterator(source):
        duration = frame.info.get("duration")
        converted = frame.convert("RGBA")
        converted.info = {"duration": duration} if duration else {}
        yield converted


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in {"RGBA", "LA"} or (
        image.mode == "P" and "transparency" in image.info
    )


def _flatten(image: Image.Image) -> Image.Image:
    """JPEG has no transparency: lay the picture on white."""
    if image.mode != "RGBA":
        return image.convert("RGB")
    background = Image.new("RGB", image.size, (255, 255, 255))
    background.paste(image, mask=image.getchannel("A"))
    return background
