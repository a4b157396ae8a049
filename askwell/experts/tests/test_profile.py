"""A contributor edits their profile: a Markdown bio, and a photo checked
and re-encoded before it is stored (askwell/experts/photos.py)."""

from __future__ import annotations

import io
import struct
import zlib
from html.parser import HTMLParser

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from askwell.accounts.tests.factories import PASSWORD, UserFactory
from askwell.audit.models import LogEntry
from askwell.experts import actions, photos
from askwell.experts.models import Contributor
from askwell.experts.tests.factories import MembershipFactory, OrganizationFactory
from askwell.lib.markdown import ALLOWED_TAGS
from askwell.moderation.actions import delete_account
from askwell.moderation.privacy import collect_user_data

pytestmark = pytest.mark.django_db


# --- files ----------------------------------------------------------------------------


def _jpeg_with_gps(size: tuple[int, int] = (640, 480), orientation: int = 1) -> bytes:
    """A real JPEG, left half red and right half blue, whose EXIF says where
    it was taken (GPS), with what camera, and which way is up."""
    image = Image.new("RGB", size, (220, 20, 20))
    image.paste((20, 20, 220), (size[0] // 2, 0, size[0], size[1]))
    exif = image.getexif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 12.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (0.0, 7.0, 40.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


def _png_header(width: int, height: int) -> bytes:
    """A tiny PNG that claims `width` × `height` pixels: a decompression
    bomb's shape (its few bytes of data would have to unpack to gigabytes)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 65_536, 9))
        + chunk(b"IEND", b"")
    )


def _upload(content: bytes, name: str = "me.jpg", kind: str = "image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=kind)


def _edit(client, contributor, **data):
    return client.post(
        f"/contributors/{contributor.slug}/edit/", {"bio": "", **data}, follow=False
    )


@pytest.fixture
def jane(client, expert):
    client.login(username=expert.username, password=PASSWORD)
    return expert.contributor


# --- the photo --------------------------------------------------------------------------


def test_a_photo_is_stored_as_a_small_webp_without_exif(client, jane):
    # given: a photo that says where it was taken
    original = _jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    # when
    response = _edit(client, jane, bio="Nurse.", photo=_upload(original))

    # then
    assert response.status_code == 302
    jane.refresh_from_db()
    assert jane.photo.name.startswith(f"contributors/{jane.slug}-")
    assert jane.photo.name.endswith(".webp")
    with default_storage.open(jane.photo.name) as stored:
        data = stored.read()
    image = Image.open(io.BytesIO(data))
    assert (image.format, image.size) == ("WEBP", (photos.SIZE, photos.SIZE))
    assert len(image.getexif()) == 0
    assert not {"exif", "xmp", "icc_profile"} & set(image.info)
    assert b"Exif" not in data
    assert b"PhoneMaker" not in data
    entry = LogEntry.objects.get(action="contributor.profile_changed")
    assert entry.data == {"fields": ["bio", "photo"]}


def test_a_photo_is_turned_the_way_its_exif_says_is_up(client, jane):
    # given: a landscape photo, red on the left, that must be turned a
    # quarter clockwise to be seen upright (EXIF orientation 6)
    original = _jpeg_with_gps(orientation=6)

    # when
    _edit(client, jane, photo=_upload(original))

    # then: red is at the top, blue at the bottom
    jane.refresh_from_db()
    with default_storage.open(jane.photo.name) as stored:
        image = Image.open(stored).convert("RGB")
        top, bottom = image.getpixel((128, 20)), image.getpixel((128, 235))
    assert top[0] > 150 > top[2]
    assert bottom[2] > 150 > bottom[0]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        pytest.param(
            _png_header(100_000, 100_000),
            "bomb.png",
            "This image is far too many pixels, more than 25 megapixels",
            id="png-bomb",
        ),
        pytest.param(
            _png_header(6_000, 5_000),
            "big.png",
            "This image is 6,000 × 5,000 pixels, more than 25 megapixels",
            id="over-the-pixel-cap",
        ),
        pytest.param(
            b"Hello, this is a letter, not a picture.\n",
            "me.jpg",
            "This file is not a JPEG, PNG or WebP image (whatever its name says).",
            id="text-named-jpg",
        ),
        pytest.param(
            b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04"
            b"\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;",
            "me.png",
            "This file is not a JPEG, PNG or WebP image (whatever its name says).",
            id="gif-named-png",
        ),
        pytest.param(
            _jpeg_with_gps()[:600],
            "cut.jpg",
            "This image could not be read: the file may be damaged or incomplete.",
            id="truncated-jpeg",
        ),
        pytest.param(
            b"\xff\xd8\xff" + b"\0" * photos.MAX_BYTES,
            "huge.jpg",
            "This file is larger than 5 MB.",
            id="over-5-mb",
        ),
        pytest.param(
            b"\xff\xd8\xff" + b"\0" * (11 * 1024 * 1024),
            "huger.jpg",
            "This file is larger than 5 MB.",
            id="over-the-upload-cap",
        ),
    ],
)
def test_a_bad_file_is_refused_saying_why_and_keeping_the_bio(
    client, jane, content, name, message
):
    # given
    before = Contributor.objects.values().get(pk=jane.pk)

    # when
    response = _edit(
        client, jane, bio="I wrote *Steady Ground*.", photo=_upload(content, name)
    )

    # then
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "a JPEG, PNG or WebP image of at most 5 MB and 25 megapixels" in html
    # The bio as typed is still in the form.
    assert "I wrote *Steady Ground*.</textarea>" in html
    assert Contributor.objects.values().get(pk=jane.pk) == before
    assert not LogEntry.objects.filter(action="contributor.profile_changed").exists()


def test_prepare_refuses_by_size_before_reading_the_file():
    """The byte cap is checked on the size alone: the content is not read."""

    class Unreadable(SimpleUploadedFile):
        def read(self, *args, **kwargs):
            raise AssertionError("read before the size was checked")

    upload = Unreadable("x.jpg", b"", "image/jpeg")
    upload.size = photos.MAX_BYTES + 1

    with pytest.raises(Exception, match="larger than 5 MB") as refused:
        photos.prepare(upload)
    assert refused.value.code == "too_large"


def test_a_photo_is_replaced_and_removed_and_its_old_file_deleted(
    client, jane, django_capture_on_commit_callbacks
):
    # given: a first photo
    with django_capture_on_commit_callbacks(execute=True):
        _edit(client, jane, photo=_upload(_jpeg_with_gps()))
    jane.refresh_from_db()
    first = jane.photo.name

    # when: a second replaces it
    with django_capture_on_commit_callbacks(execute=True):
        _edit(client, jane, photo=_upload(_jpeg_with_gps((300, 300)), "two.jpg"))

    # then
    jane.refresh_from_db()
    second = jane.photo.name
    assert second != first
    assert not default_storage.exists(first)
    assert default_storage.exists(second)

    # when: it is removed
    with django_capture_on_commit_callbacks(execute=True):
        response = _edit(client, jane, bio=jane.bio, remove_photo="on")

    # then: the initials show again
    assert response.status_code == 302
    jane.refresh_from_db()
    assert jane.photo.name == ""
    assert not default_storage.exists(second)
    page = client.get(jane.get_absolute_url()).content.decode()
    assert '<span class="avatar avatar--initials' in page
    assert ">JD</span>" in page


def test_the_profile_page_shows_the_photo_instead_of_the_initials(client, jane):
    _edit(client, jane, photo=_upload(_jpeg_with_gps()))
    jane.refresh_from_db()

    page = client.get(jane.get_absolute_url()).content.decode()

    assert f'src="/media/{jane.photo.name}"' in page
    assert "avatar--initials" not in page.split("<main", 1)[1].split("</header>", 1)[0]
    photo = client.get(f"/media/{jane.photo.name}")
    assert photo.status_code == 200
    assert photo["Content-Type"] == "image/webp"


def test_choosing_a_new_photo_and_removing_it_at_once_is_refused(client, jane):
    response = _edit(client, jane, photo=_upload(_jpeg_with_gps()), remove_photo="on")

    assert response.status_code == 400
    assert "Choose a new photo or remove the current one, not both." in (
        response.content.decode()
    )


# --- who may edit -------------------------------------------------------------------------


def test_only_the_person_edits_their_profile(client, expert, other_expert):
    # given
    client.login(username=other_expert.username, password=PASSWORD)

    # when
    response = _edit(client, expert.contributor, bio="Hacked")

    # then
    assert response.status_code == 403
    assert "Only the person a profile belongs to can edit it." in (
        response.content.decode()
    )
    expert.contributor.refresh_from_db()
    assert expert.contributor.bio == "Sees patients in a city clinic."


def test_an_organizations_administrator_sets_its_logo_and_description(client):
    # given
    admin = UserFactory(username="orgadmin")
    society = OrganizationFactory(name="Lakeside Heart Society")
    MembershipFactory(organization=society, user=admin, role="admin")
    client.login(username="orgadmin", password=PASSWORD)

    # when
    form = client.get(f"/contributors/{society.slug}/edit/").content.decode()
    response = _edit(
        client,
        society,
        bio="We fund **heart** research.",
        photo=_upload(_jpeg_with_gps(), "logo.jpg"),
    )

    # then
    assert "Description" in form
    assert "New logo" in form
    assert response.status_code == 302
    society.refresh_from_db()
    assert society.bio_html == "<p>We fund <strong>heart</strong> research.</p>\n"
    assert society.photo.name.endswith(".webp")


def test_a_plain_member_cannot_edit_the_organization(client):
    member = UserFactory(username="member")
    society = OrganizationFactory()
    MembershipFactory(organization=society, user=member)
    client.login(username="member", password=PASSWORD)

    assert _edit(client, society, bio="Ours now").status_code == 403


def test_the_action_checks_permission_itself(expert, other_expert):
    with pytest.raises(Exception, match="Only the person") as denied:
        actions.change_profile(other_expert, expert.contributor, bio="x")
    assert type(denied.value).__name__ == "PermissionDenied"


# --- the bio ------------------------------------------------------------------------------


def test_a_bio_is_shown_as_markdown_and_described_as_text(client, jane):
    # when
    _edit(client, jane, bio="Author of *Steady Ground*, a guide.")

    # then
    page = client.get(jane.get_absolute_url()).content.decode()
    assert "Author of <em>Steady Ground</em>, a guide." in page
    assert "*Steady Ground*" not in page
    assert '<meta name="description" content="Author of Steady Ground, a guide.">' in (
        page
    )


@pytest.mark.parametrize(
    "bio",
    [
        "<script>alert('bio')</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        "<a href='https://evil.example'>x</a>",
        "\u202eevil\u202c " * 20,
        "Ṱ̺̺̕o͞ ̷i̲̬͇̪͙n̝̗͕v̟̜̘̦͟o̶̙̰̠kè͚̮̺̪̹̱̤",
        "# Heading\n\n> quote\n\n- a\n- b\n\n```\ncode\n```",
        "[" * 500,
    ],
)
def test_a_hostile_bio_is_shown_safely(client, jane, bio):
    # when
    response = _edit(client, jane, bio=bio)
    page = client.get(jane.get_absolute_url())

    # then
    assert response.status_code == 302
    assert page.status_code == 200
    html = page.content.decode()
    body = html.split('<div class="lead profile__bio prose">', 1)[1].split("</div>")[0]
    tags = _tags(body)
    assert {name for name, _ in tags} <= ALLOWED_TAGS
    for _, attrs in tags:
        assert not any(key.startswith("on") for key in attrs)
        assert not attrs.get("href", "").lower().startswith("javascript:")


def _tags(html: str) -> list[tuple[str, dict[str, str]]]:
    """Every element in `html`, with its attributes."""
    found: list[tuple[str, dict[str, str]]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, {k: v or "" for k, v in attrs}))

    Collect().feed(html)
    return found


# --- personal data ----------------------------------------------------------------------


def test_the_photo_is_exported_and_deleted_with_the_account(
    client, jane, expert, django_capture_on_commit_callbacks
):
    # given
    _edit(client, jane, photo=_upload(_jpeg_with_gps()))
    jane.refresh_from_db()
    stored = jane.photo.name

    # when
    data = collect_user_data(expert)
    with django_capture_on_commit_callbacks(execute=True):
        done = delete_account(
            expert, password=PASSWORD, confirmation="delete my account"
        )

    # then
    assert data["expert_profile"]["photo_url"] == f"/media/{stored}"
    assert done["photos_deleted"] == 1
    jane.refresh_from_db()
    assert (jane.photo.name, jane.user) == ("", None)
    assert not default_storage.exists(stored)
