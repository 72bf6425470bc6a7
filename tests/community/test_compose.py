"""docker-compose.yml: every long-running process of the application image sees the uploads. The
`media` volume is MEDIA_ROOT for all of them (the shared environment says so); a process without
it would read and delete files in its own container instead: the metrics loop's purge of expired
data archives (members.exports) would leave the members' archives on the volume for good."""

from pathlib import Path

import yaml
from django.conf import settings

COMPOSE = Path(settings.BASE_DIR) / "docker-compose.yml"
ONE_SHOT = {"migrate"}  # migrations touch no uploads


def test_every_application_service_mounts_the_media_volume():
    services = yaml.safe_load(COMPOSE.read_text())["services"]
    application = {name for name, service in services.items() if "build" in service} - ONE_SHOT
    assert {"web", "worker", "metrics", "scheduler"} <= application
    for name in sorted(application):
        assert services[name]["environment"]["MEDIA_ROOT"] == "/data/media", name
        assert "media:/data/media" in services[name].get("volumes", []), name
