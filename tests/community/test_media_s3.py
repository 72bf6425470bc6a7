"""Media past one host: with MEDIA_STORAGE=s3, uploads live in a private S3-compatible bucket (here a
real S3 server, moto's, on 127.0.0.1), every address to it is signed and expires, and a library
document's address is handed out only after Mutua's own permission check."""

import io
import json
import os
import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
import requests
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from moto.server import ThreadedMotoServer
from PIL import Image
from wagtail.documents.models import Document
from wagtail.models import Collection

from content.models import Resource
from members import services
from tests.factories import MemberFactory, make_group

pytestmark = pytest.mark.django_db

BUCKET = "mutua-media"
KEYS = {"AWS_ACCESS_KEY_ID": "mutua-test", "AWS_SECRET_ACCESS_KEY": "mutua-test-secret"}


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=KEYS["AWS_ACCESS_KEY_ID"],
                 aws_secret_access_key=KEYS["AWS_SECRET_ACCESS_KEY"]).create_bucket(Bucket=BUCKET)  # fmt: skip
    yield endpoint
    server.stop()


@pytest.fixture
def s3_media(settings, s3_endpoint):
    """The project's storage settings as MEDIA_STORAGE=s3 builds them, pointed at the test server."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "access_key": KEYS["AWS_ACCESS_KEY_ID"],
                "secret_key": KEYS["AWS_SECRET_ACCESS_KEY"],
                "querystring_auth": True,
                "querystring_expire": 3600,
                "file_overwrite": False,
                "signature_version": "s3v4",
                "addressing_style": "path",
            },
        },
    }
    settings.MEDIA_STORAGE = "s3"
    settings.DOCUMENT_URL_EXPIRY = 60
    return s3_endpoint


def settings_under(env: dict) -> subprocess.CompletedProcess:
    """Load community.settings in a fresh interpreter with this environment; print what it built."""
    script = (
        "import json, django; from django.conf import settings; django.setup();"
        "print(json.dumps({'storage': settings.STORAGES['default'], 'origin': settings.MEDIA_ORIGIN,"
        " 'img_src': [str(s) for s in settings.SECURE_CSP['img-src']]}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MEDIA_"))}
    return subprocess.run(
        [sys.executable, "-c", script], env={**clean, "DJANGO_SETTINGS_MODULE": "community.settings", **env},
        cwd=django_settings.BASE_DIR, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_media_storage_s3_builds_a_private_signed_bucket_storage_and_lets_pages_show_its_images():
    result = settings_under(
        {"MEDIA_STORAGE": "s3", "AWS_STORAGE_BUCKET_NAME": BUCKET, "AWS_S3_ENDPOINT_URL": "https://minio.internal:9000/"}
    )
    assert result.returncode == 0, result.stderr
    built = json.loads(result.stdout)
    assert built["storage"]["BACKEND"] == "storages.backends.s3.S3Storage"
    options = built["storage"]["OPTIONS"]
    assert options["bucket_name"] == BUCKET and options["querystring_auth"] is True
    assert options["addressing_style"] == "path"
    assert built["origin"] == "https://minio.internal:9000"
    assert "https://minio.internal:9000" in built["img_src"]


def test_an_unknown_media_storage_is_refused_with_a_clear_message():
    result = settings_under({"MEDIA_STORAGE": "ftp"})
    assert result.returncode != 0
    assert "MEDIA_STORAGE is 'ftp': use local (the default) or s3." in result.stderr


def test_the_local_default_adds_no_other_origin_to_the_pages():
    result = settings_under({})
    assert result.returncode == 0, result.stderr
    built = json.loads(result.stdout)
    assert built["storage"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert built["origin"] == "" and built["img_src"] == ["'self'"]


def test_an_avatar_goes_to_the_bucket_and_its_address_is_signed(s3_media):
    member = MemberFactory()
    picture = io.BytesIO()
    Image.new("RGB", (64, 40), "teal").save(picture, "PNG")
    services.set_avatar(member=member, upload=SimpleUploadedFile("me.png", picture.getvalue()))

    url = member.avatar.url
    assert url.startswith(f"{s3_media}/{BUCKET}/avatars/")
    assert "X-Amz-Signature" in url and parse_qs(urlsplit(url).query)["X-Amz-Expires"] == ["3600"]
    stored = boto3.client("s3", endpoint_url=s3_media, region_name="us-east-1", **{k.lower(): v for k, v in KEYS.items()})
    in_bucket = stored.get_object(Bucket=BUCKET, Key=member.avatar.name)["Body"].read()
    fetched = requests.get(url, timeout=10)
    assert fetched.status_code == 200
    assert fetched.content == in_bucket and Image.open(io.BytesIO(fetched.content)).format == "WEBP"


@pytest.fixture
def bucket_library(s3_media):
    insider = MemberFactory(handle="insider")
    group = make_group(visibility="private", policy="invite", members=[insider])
    root = Collection.get_first_root_node()
    files = {}
    for audience, in_group in (("members", None), ("group", group)):
        document = Document(title=f"{audience} file", collection=root)
        document.file.save(f"{audience}-plan.txt", ContentFile(f"{audience} file\n".encode()))
        document.save()
        Resource.objects.create(
            title=f"The {audience} plan", category="Plans", document=document, audience=audience, group=in_group,
            collection=root,
        )  # fmt: skip
        files[audience] = document
    return {"files": files, "insider": insider}


def test_a_document_in_the_bucket_is_handed_out_briefly_and_only_after_the_permission_check(
    client, s3_media, bucket_library
):
    members_file, group_file = bucket_library["files"]["members"], bucket_library["files"]["group"]
    assert members_file.file.name.startswith("documents/")

    # A visitor is asked to sign in, and learns nothing of the bucket.
    response = client.get(members_file.url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")

    # A member outside the group: the group's file stays hidden.
    client.force_login(MemberFactory())
    assert client.get(group_file.url).status_code == 404

    # Let in: a signed address that works for a minute, under the document's own name.
    response = client.get(members_file.url)
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(f"{s3_media}/{BUCKET}/documents/")
    query = parse_qs(urlsplit(location).query)
    assert query["X-Amz-Expires"] == ["60"] and "X-Amz-Signature" in query
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    fetched = requests.get(location, timeout=10)
    assert fetched.status_code == 200 and fetched.content == b"members file\n"
    assert "members-plan.txt" in fetched.headers["Content-Disposition"]

    client.force_login(bucket_library["insider"])
    fetched = requests.get(client.get(group_file.url)["Location"], timeout=10)
    assert fetched.content == b"group file\n"

