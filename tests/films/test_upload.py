"""copy_attach_video and the upload page: only a real video, only up to the configured size."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse

from dianjiao.films import services
from dianjiao.films.models import FilmCopy
from tests.films.helpers import MP4_HEAD, WEBM_HEAD, copy, digital_copy, film, video_upload


def _files(settings):
    root = settings.MEDIA_ROOT / "films"
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_it_stores_a_video_under_media_films_and_remembers_it(world, settings):
    disc = digital_copy(world, film(world, "榜样7"), name="榜样7 高清.mp4")

    assert disc.file_name.startswith(f"films/{world.township.pk}/") and disc.file_name.endswith(
        ".mp4"
    )
    assert (settings.MEDIA_ROOT / disc.file_name).is_file()
    assert (disc.file_original_name, disc.file_type, disc.file_size) == (
        "榜样7 高清.mp4",
        "video/mp4",
        2048,
    )
    assert disc.file_uploaded_at is not None and disc.plays_in_browser


def test_it_replaces_an_earlier_video_and_deletes_its_file(
    world, settings, django_capture_on_commit_callbacks
):
    disc = digital_copy(world)
    first = disc.file_name

    with django_capture_on_commit_callbacks(execute=True):
        disc = services.copy_attach_video(
            copy=disc,
            user=world.station,
            file=video_upload("新版.webm", WEBM_HEAD * 10, "video/webm"),
        )

    assert disc.file_type == "video/webm" and disc.file_name != first
    assert not default_storage.exists(first)
    assert _files(settings) == [disc.file_name.rsplit("/", 1)[1]]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            video_upload("通知.pdf", b"%PDF-1.4 ...", "application/pdf"),
            "只能上传视频文件（MP4、WebM、MOV、AVI、MPG、WMV 等），“通知.pdf”不是视频文件",
        ),
        (
            video_upload("榜样7.mp4", b"MZ\x90\x00 a program", "video/mp4"),
            "“榜样7.mp4”的内容不是视频，请上传真正的视频文件",
        ),
        (
            video_upload("榜样7.mp4", MP4_HEAD, "text/plain"),
            "“榜样7.mp4”不是视频文件（文件类型为 text/plain）",
        ),
        (video_upload("榜样7.mp4", b"", "video/mp4"), "上传的文件是空的"),
    ],
)
def test_it_refuses_what_is_not_a_video(world, settings, upload, message):
    disc = copy(world, medium=FilmCopy.Medium.FILE)

    with pytest.raises(ValidationError) as exc:
        services.copy_attach_video(copy=disc, user=world.station, file=upload)

    assert exc.value.message_dict == {"file": [message]}
    disc.refresh_from_db()
    assert disc.file_name == "" and _files(settings) == []


def test_it_refuses_a_video_over_the_configured_size(world, settings):
    settings.DIANJIAO_MAX_VIDEO_BYTES = 3 * 1024 * 1024
    disc = copy(world, medium=FilmCopy.Medium.FILE)

    with pytest.raises(ValidationError) as exc:
        services.copy_attach_video(
            copy=disc, user=world.station, file=video_upload(size=3 * 1024 * 1024 + 512 * 1024)
        )

    assert exc.value.message_dict == {
        "file": ["视频文件超过 3 MB 上限（本文件 3.5 MB），请压缩后再上传"]
    }
    assert _files(settings) == []
    assert services.copy_attach_video(
        copy=disc, user=world.station, file=video_upload(size=3 * 1024 * 1024)
    ).file_name


def test_it_takes_videos_only_for_digital_copies(world):
    with pytest.raises(ValidationError) as exc:
        services.copy_attach_video(
            copy=copy(world, medium=FilmCopy.Medium.DVD), user=world.station, file=video_upload()
        )
    assert exc.value.message_dict == {
        "file": ["只有介质为“数字文件”的拷贝可以上传视频，请先修改拷贝的介质"]
    }


def test_the_upload_page_shows_the_refusal_next_to_the_field(world, login, settings):
    settings.DIANJIAO_MAX_VIDEO_BYTES = 1024
    disc = copy(world, medium=FilmCopy.Medium.FILE)
    url = reverse("films:copy_upload", args=[disc.pk])
    client = login(world.station)

    page = client.get(url)
    assert "文件不能超过 1 KB" in page.content.decode()
    response = client.post(url, {"file": video_upload(size=2048)})
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "视频文件超过 1 KB 上限（本文件 2 KB），请压缩后再上传"
    ]
    assert 'class="field has-error"' in response.content.decode()
    response = client.post(url, {"file": video_upload("a.txt", b"hello", "text/plain")})
    assert "不是视频文件" in response.context["form"].errors["file"][0]


def test_the_upload_page_stores_the_video_and_the_film_page_plays_it(world, login):
    disc = copy(world, film(world, "榜样7"), medium=FilmCopy.Medium.FILE)
    client = login(world.station)

    response = client.post(reverse("films:copy_upload", args=[disc.pk]), {"file": video_upload()})

    assert response.status_code == 302
    html = login(world.other_op).get(reverse("films:detail", args=[disc.film_id])).content.decode()
    assert (
        f'<video controls preload="metadata" src="{reverse("films:copy_video", args=[disc.pk])}"></video>'
        in html
    )
