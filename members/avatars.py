"""Avatar uploads: checked by content (not by name), size-limited, and re-encoded so that nothing
but pixels from the upload is ever stored or served."""

import io
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from PIL import Image, UnidentifiedImageError

from .errors import InvalidAvatar

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_PIXELS = 40_000_000
AVATAR_SIZE = 512


def reencode_avatar(upload) -> ContentFile:
    """Return the upload as a square WebP of at most 512 px, or raise InvalidAvatar."""
    if upload.size > settings.AVATAR_MAX_BYTES:
        limit_mb = settings.AVATAR_MAX_BYTES // (1024 * 1024)
        raise InvalidAvatar(f"The image is too large: the limit is {limit_mb} MB.", field="avatar")
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            image_format = probe.format
            if probe.width * probe.height > MAX_PIXELS:
                raise InvalidAvatar("The image has too many pixels.", field="avatar")
            probe.verify()
        if image_format not in ACCEPTED_FORMATS:
            raise InvalidAvatar("Upload a JPEG, PNG, WebP or GIF image.", field="avatar")
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            picture = image.convert("RGBA" if "A" in image.getbands() or image.mode == "P" else "RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise InvalidAvatar("That file is not an image we can read.", field="avatar") from error

    side = min(picture.size)
    left, top = (picture.width - side) // 2, (picture.height - side) // 2
    picture = picture.crop((left, top, left + side, top + side))
    picture.thumbnail((AVATAR_SIZE, AVATAR_SIZE))
    out = io.BytesIO()
    picture.save(out, format="WEBP", quality=85)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.webp")
