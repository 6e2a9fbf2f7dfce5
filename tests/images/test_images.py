import io
from pathlib import Path
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image as PILImage

from images import imaging
from images.imaging import check_and_clean, crop_box
from images.models import Image
from images.services import image_create, image_update
from tests.factories import ArticleFactory
from tests.images import COLOURS, animated_bytes, exif_with, picture_bytes

pytestmark = pytest.mark.django_db


def stored_files(media_root) -> list[Path]:
    return [p for p in Path(media_root).rglob("*") if p.is_file()]


def make_image(admin_user, data=None, name="photo.jpg", **fields):
    upload = check_and_clean(name, data or picture_bytes())
    fields = {"title": "Harbour at dawn", "alt_text": "Boats in the harbour"} | fields
    return image_create(upload=upload, by=admin_user, **fields)


# --- What is accepted and refused --------------------------------------------------


@pytest.mark.parametrize(
    "name, fmt",
    [("a.jpg", "JPEG"), ("a.png", "PNG"), ("a.webp", "WEBP"), ("a.gif", "GIF")],
)
def test_each_allowed_format_is_accepted(name, fmt):
    upload = check_and_clean(name, picture_bytes(fmt=fmt))
    assert (upload.format, upload.width, upload.height) == (fmt, 640, 360)


REFUSALS = {
    "bomb": (
        "huge.png",
        lambda: picture_bytes((4000, 3000), fmt="PNG"),
        "too large in pixels",
    ),
    "truncated": (
        "cut.jpg",
        lambda: picture_bytes((800, 600))[:1500],
        "damaged or incomplete",
    ),
    "png named jpg": (
        "photo.jpg",
        lambda: picture_bytes(fmt="PNG"),
        "is a PNG picture but its name ends in “.jpg”",
    ),
    "text named png": (
        "notes.png",
        lambda: b"Meeting notes, not a picture.\n" * 20,
        "not a picture we can read",
    ),
    "oversize": (
        "big.jpg",
        lambda: picture_bytes((1200, 900), quality=100) + b"\0" * 300_000,
        "images may be at most",
    ),
    "tiff": (
        "scan.tif",
        lambda: picture_bytes((64, 36), fmt="TIFF"),
        "TIFF files are not accepted",
    ),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_bad_uploads_are_refused_with_a_clear_message(case, settings):
    settings.NEWSROOM_IMAGE_MAX_PIXELS = 5_000_000
    settings.NEWSROOM_IMAGE_MAX_BYTES = 300_000
    name, data, message = REFUSALS[case]
    with pytest.raises(ValidationError) as excinfo:
        check_and_clean(name, data())
    assert message in " ".join(excinfo.value.messages)


def test_pillows_own_bomb_limit_is_reported_the_same_way(monkeypatch):
    monkeypatch.setattr(PILImage, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(ValidationError, match="too large in pixels"):
        check_and_clean("a.png", picture_bytes((100, 100), fmt="PNG"))


@pytest.mark.parametrize("case", list(REFUSALS))
def test_refused_uploads_through_the_admin_store_nothing(
    case, admin_client, settings, media_root
):
    settings.NEWSROOM_IMAGE_MAX_PIXELS = 5_000_000
    settings.NEWSROOM_IMAGE_MAX_BYTES = 300_000
    name, data, message = REFUSALS[case]

    response = admin_client.post(
        reverse("admin:images_image_add"),
        {
            "upload": SimpleUploadedFile(name, data()),
            "title": "Refused",
            "alt_text": "Something",
        },
    )

    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Image.objects.exists()
    assert stored_files(media_root) == []


def test_alt_text_is_required_unless_decorative(admin_client, media_root):
    add = reverse("admin:images_image_add")
    data = {"title": "No alt", "alt_text": ""}

    refused = admin_client.post(
        add, data | {"upload": SimpleUploadedFile("a.jpg", picture_bytes())}
    )
    accepted = admin_client.post(
        add,
        data
        | {
            "is_decorative": "on",
            "upload": SimpleUploadedFile("a.jpg", picture_bytes()),
        },
    )

    assert "Describe the picture for readers" in refused.content.decode()
    assert accepted.status_code == 302
    assert Image.objects.get().is_decorative


def test_upload_through_the_admin_stores_the_picture_and_renditions(
    admin_client, media_root
):
    response = admin_client.post(
        reverse("admin:images_image_add"),
        {
            "upload": SimpleUploadedFile("IMG_0001.JPG", picture_bytes((2000, 1500))),
            "title": "Ferry at the quay",
            "alt_text": "A white ferry tied up at the quay",
            "credit": "Ana Ruiz / Cupure",
        },
    )

    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.width, image.height, image.format) == (2000, 1500, "JPEG")
    assert "IMG_0001" not in image.file.name
    ratios = {(r["ratio"], r["format"]) for r in image.renditions}
    assert ratios == {
        (ratio, fmt)
        for ratio in ("16:9", "1:1", "original")
        for fmt in ("webp", "jpeg")
    }
    for rendition in image.renditions:
        assert (Path(media_root) / rendition["name"]).exists()
    assert max(r["width"] for r in image.renditions) == 1600


# --- Privacy and correctness -------------------------------------------------------


def test_exif_orientation_is_applied(admin_user):
    # Stored 300 wide and 100 high, shown rotated by a quarter turn.
    data = picture_bytes((300, 100), exif=exif_with(orientation=6))
    image = make_image(admin_user, data)

    assert (image.width, image.height) == (100, 300)
    with image.file.open("rb") as stored:
        assert PILImage.open(stored).size == (100, 300)
    original = [r for r in image.renditions if r["ratio"] == "original"]
    assert all(r["height"] > r["width"] for r in original)


def test_gps_and_other_metadata_never_reach_stored_files(admin_user, media_root):
    data = picture_bytes(
        exif=exif_with(gps=True, description="Quay", artist="Ana Ruiz"), fmt="JPEG"
    )
    assert PILImage.open(io.BytesIO(data)).getexif().get_ifd(0x8825)

    make_image(admin_user, data)

    for path in stored_files(media_root):
        stored = PILImage.open(path)
        exif = stored.getexif()
        assert not exif.get_ifd(0x8825), path
        assert 0x013B not in exif and 0x010E not in exif, path
        assert "xmp" not in stored.info


def test_caption_and_credit_come_from_the_file_when_left_empty(admin_user):
    data = picture_bytes(
        exif=exif_with(description="Boats at dawn.", artist="Ana Ruiz")
    )
    image = make_image(admin_user, data)
    assert (image.caption, image.credit) == ("Boats at dawn.", "Ana Ruiz")

    typed = make_image(admin_user, data, caption="Our caption", credit="Our credit")
    assert (typed.caption, typed.credit) == ("Our caption", "Our credit")


def test_xmp_credit_is_read_too():
    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/'
        b'1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/'
        b'elements/1.1/"><dc:creator><rdf:Seq><rdf:li>Lena Voss</rdf:li></rdf:Seq>'
        b'</dc:creator><dc:description><rdf:Alt><rdf:li xml:lang="x-default">'
        b"Ferry at night</rdf:li></rdf:Alt></dc:description></rdf:Description>"
        b"</rdf:RDF></x:xmpmeta>"
    )
    upload = check_and_clean("a.jpg", picture_bytes(xmp=xmp))
    assert (upload.caption, upload.credit) == ("Ferry at night", "Lena Voss")


# --- Focal point crops -------------------------------------------------------------


@pytest.mark.parametrize("size", [(1600, 900), (900, 1600), (1000, 1000), (3000, 500)])
@pytest.mark.parametrize("ratio", [16 / 9, 1.0, 4 / 5])
@pytest.mark.parametrize("focal", [(0.5, 0.5), (0.02, 0.03), (0.97, 0.99), (0.8, 0.2)])
def test_crops_keep_the_focal_point_inside(size, ratio, focal):
    left, top, right, bottom = crop_box(size, ratio, focal)
    x, y = focal[0] * size[0], focal[1] * size[1]
    assert 0 <= left <= x <= right <= size[0]
    assert 0 <= top <= y <= bottom <= size[1]
    assert abs((right - left) / (bottom - top) - ratio) < 0.01


def test_square_rendition_shows_the_subject_at_the_focal_point(admin_user):
    # A wide grey picture with a red square near its right edge.
    picture = PILImage.new("RGB", (1600, 400), (128, 128, 128))
    picture.paste((220, 0, 0), (1450, 150, 1550, 250))
    out = io.BytesIO()
    picture.save(out, format="PNG")
    image = make_image(admin_user, out.getvalue(), name="wide.png")
    image.focal_x, image.focal_y = 1500 / 1600, 0.5
    image_update(image=image, by=admin_user, focal_changed=True)

    square = image.rendition("1:1", 400)
    with image.file.storage.open(square["name"]) as stored:
        crop = PILImage.open(stored).convert("RGB")
    red = sum(1 for px in crop.get_flattened_data() if px[0] > 180 and px[1] < 60)
    assert red > 0.04 * crop.width * crop.height


# --- Pages -------------------------------------------------------------------------


def test_story_page_serves_a_responsive_hero_with_alt_and_credit(client, admin_user):
    image = make_image(
        admin_user,
        picture_bytes((2000, 1125)),
        credit="Ana Ruiz / Cupure",
        caption="Boats at dawn.",
    )
    story = ArticleFactory(published=True, hero_image=image)

    html = client.get(story.get_absolute_url()).content.decode()

    assert '<source type="image/webp" srcset="' in html
    assert " 480w, " in html
    assert 'alt="Boats in the harbour"' in html
    assert 'width="800" height="450"' in html
    assert "Boats at dawn." in html and "Photo: Ana Ruiz / Cupure" in html
    assert 'loading="eager"' in html


def test_per_story_caption_overrides_the_pictures(client, admin_user):
    image = make_image(admin_user, caption="Library caption")
    story = ArticleFactory(
        published=True, hero_image=image, hero_caption="Story caption"
    )
    html = client.get(story.get_absolute_url()).content.decode()
    assert "Story caption" in html and "Library caption" not in html


def test_cards_show_lazy_thumbnails(client, admin_user):
    image = make_image(admin_user)
    story = ArticleFactory(published=True, hero_image=image)
    html = client.get(story.section.get_absolute_url()).content.decode()
    assert 'class="card__thumb"' in html
    assert 'loading="lazy"' in html


def test_missing_renditions_degrade_to_the_original(client, admin_user):
    image = make_image(admin_user)
    Image.objects.filter(pk=image.pk).update(renditions=[])
    story = ArticleFactory(published=True, hero_image=image)
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    assert f'src="{image.file.url}"' in response.content.decode()


def test_rendering_pages_does_no_image_work(client, admin_user):
    story = ArticleFactory(published=True, hero_image=make_image(admin_user))
    with (
        mock.patch.object(imaging, "renditions") as cut,
        mock.patch.object(PILImage, "open") as decode,
    ):
        for _ in range(2):
            assert client.get(story.get_absolute_url()).status_code == 200
            assert client.get("/").status_code == 200
    cut.assert_not_called()
    decode.assert_not_called()


def test_hero_image_adds_no_queries_to_the_story_page(client, admin_user):
    plain = ArticleFactory(published=True, tags=["ferries"])
    pictured = ArticleFactory(
        published=True, tags=["ferries"], hero_image=make_image(admin_user)
    )

    def count(story):
        from django.core.cache import cache

        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            client.get(story.get_absolute_url())
        return len(queries)

    assert count(pictured) == count(plain)


def test_library_lists_thumbnails_and_searches(admin_client, admin_user):
    make_image(admin_user, title="Ferry at the quay")
    make_image(admin_user, title="Glacier front")
    response = admin_client.get(
        reverse("admin:images_image_changelist"), {"q": "ferry"}
    )
    html = response.content.decode()
    assert "Ferry at the quay" in html and "Glacier front" not in html
    assert "library-thumb" in html


def test_changing_the_focal_point_in_the_admin_recuts_renditions(
    admin_client, admin_user
):
    image = make_image(admin_user)
    before = {r["name"]: r for r in image.renditions}
    with mock.patch("images.services.image_generate_renditions") as recut:
        admin_client.post(
            reverse("admin:images_image_change", args=[image.pk]),
            {
                "title": image.title,
                "alt_text": image.alt_text,
                "caption": "",
                "credit": "",
                "focal_x": "0.2",
                "focal_y": "0.3",
            },
        )
    image.refresh_from_db()
    assert (image.focal_x, image.focal_y) == (0.2, 0.3)
    recut.assert_called_once()
    assert before


# --- Animations ----------------------------------------------------------------------


def frames_of(data: bytes) -> list[tuple[int, tuple]]:
    """(display time, colour at the centre) of every frame."""
    picture = PILImage.open(io.BytesIO(data))
    found = []
    for n in range(getattr(picture, "n_frames", 1)):
        picture.seek(n)
        centre = picture.convert("RGB").getpixel(
            (picture.width // 2, picture.height // 2)
        )
        found.append((picture.info.get("duration"), centre))
    return found


def close(colour, expected) -> bool:
    return all(abs(a - b) <= 12 for a, b in zip(colour, expected, strict=True))


def test_an_animated_gif_keeps_its_frames_in_the_original_and_renditions(
    admin_user, media_root
):
    data = animated_bytes(frames=5, comment=b"Shot at 52.37N 4.89E by Ana")

    image = make_image(admin_user, data, name="tide.gif")

    with image.file.open("rb") as stored:
        content = stored.read()
    assert b"52.37N" not in content
    original = frames_of(content)
    assert [duration for duration, _ in original] == [100, 150, 100, 150, 100]
    for (_, colour), expected in zip(original, COLOURS, strict=True):
        assert close(colour, expected), (colour, expected)
    webp = [r for r in image.renditions if r["format"] == "webp"]
    jpeg = [r for r in image.renditions if r["format"] == "jpeg"]
    assert webp and jpeg
    for rendition in webp:
        data = (Path(media_root) / rendition["name"]).read_bytes()
        assert PILImage.open(io.BytesIO(data)).n_frames == 5, rendition
        assert b"52.37N" not in data
    for rendition in jpeg:  # the fallback for browsers without WebP: a still
        data = (Path(media_root) / rendition["name"]).read_bytes()
        assert getattr(PILImage.open(io.BytesIO(data)), "n_frames", 1) == 1


def test_an_animated_webp_keeps_its_frames_and_loses_its_exif(admin_user):
    exif = exif_with(artist="Ana Ruiz", gps=True).tobytes()
    data = animated_bytes(frames=3, fmt="WEBP", exif=exif)
    assert b"Ana Ruiz" in data

    image = make_image(admin_user, data, name="tide.webp")

    with image.file.open("rb") as stored:
        content = stored.read()
    assert PILImage.open(io.BytesIO(content)).n_frames == 3
    assert b"Ana Ruiz" not in content
    assert not PILImage.open(io.BytesIO(content)).getexif()


def test_too_many_frames_are_refused_with_a_clear_message(settings, admin_client):
    settings.NEWSROOM_IMAGE_MAX_FRAMES = 4
    with pytest.raises(ValidationError) as refused:
        check_and_clean("tide.gif", animated_bytes(frames=5))
    assert refused.value.code == "frames"
    assert "The animation has 5 frames; at most 4 are accepted." in str(refused.value)

    response = admin_client.post(
        reverse("admin:images_image_add"),
        {
            "upload": SimpleUploadedFile("tide.gif", animated_bytes(frames=5)),
            "title": "Tide",
            "alt_text": "The tide coming in",
        },
    )
    assert response.status_code == 200
    assert "The animation has 5 frames; at most 4 are accepted." in (
        response.content.decode()
    )
    assert not Image.objects.exists()


def test_every_frame_counts_towards_the_pixel_limit(settings):
    # 320 × 180 = 57,600 pixels a frame: one frame fits, five do not.
    settings.NEWSROOM_IMAGE_MAX_PIXELS = 200_000
    assert check_and_clean("still.gif", animated_bytes(frames=1)).width == 320
    with pytest.raises(ValidationError) as refused:
        check_and_clean("tide.gif", animated_bytes(frames=5))
    assert refused.value.code == "bomb"
    assert "5 frames of 320 × 180 px" in str(refused.value)
