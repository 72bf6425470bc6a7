# syntax=docker/dockerfile:1
# Mutua production image: one image for every process type.
#   default command   Daphne serving HTTP and WebSockets (community.asgi)
#   worker            python manage.py db_worker
#   migrate           python manage.py migrate --noinput
# docker-compose.yml next to this file describes the whole topology.
FROM python:3.13-slim

# The project runs from its source tree in /app (pyproject installs only the dependencies).
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    MEDIA_ROOT=/data/media

# The unprivileged user the processes run as. The code stays owned by root (read-only to the
# app); only the uploads directory is the user's. A named volume mounted at /data/media starts
# out with this ownership.
RUN groupadd --system --gid 10001 mutua \
 && useradd --system --uid 10001 --gid mutua --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin mutua \
 && mkdir -p /data/media \
 && chown mutua:mutua /data/media

WORKDIR /app

# WeasyPrint, which renders the metrics' PDF report, needs Debian's Pango (and a font).
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

# Dependencies first, read from pyproject.toml alone, so this layer is rebuilt only when the pins
# change, not on every code change.
COPY pyproject.toml ./
RUN --mount=type=cache,target=/root/.cache/pip \
    python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
 && pip install -r /tmp/requirements.txt \
 && rm /tmp/requirements.txt

COPY . .

# Static files, hashed and compressed for WhiteNoise (DEBUG=0 selects the manifest storage).
# SECRET_KEY and EMAIL_URL here are throwaways that exist only for this one command: they are not
# in the image's environment, and nothing made with them survives the build.
# The charts' vega-embed bundle is generated from the vl-convert-python package first (never committed).
RUN DEBUG=0 SECRET_KEY=build-only-collectstatic-key-not-used-at-runtime EMAIL_URL=smtp://localhost:25 \
    sh -c "python manage.py build_chart_bundle && python manage.py collectstatic --noinput"

USER 10001:10001

EXPOSE 8000

# /healthz answers 200 when the database answers (with "status": "degraded" if Redis does not: the
# site works without it, and restarting every web container would not bring Redis back).
# The request must look like one the proxy would forward, or Django refuses or redirects it:
#  - Host: the first usable ALLOWED_HOSTS entry ("*" and empty entries skipped, a leading "."
#    stripped: ".example.org" allows "example.org"); "localhost" if none is left.
#  - X-Forwarded-Proto: https, because with DEBUG=0 SECURE_SSL_REDIRECT defaults on and
#    SECURE_PROXY_SSL_HEADER trusts that header; without it the check would get a 301.
# HEALTHCHECK_URL overrides the address (for a command that binds another port).
# Non-200 answers and connection errors raise, so the exit status is 1: unhealthy.
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request as u; hosts = [h.strip().lstrip('.') for h in os.environ.get('ALLOWED_HOSTS', '').split(',') if h.strip() not in ('', '*')]; req = u.Request(os.environ.get('HEALTHCHECK_URL', 'http://127.0.0.1:8000/healthz'), headers={'Host': (hosts + ['localhost'])[0], 'X-Forwarded-Proto': 'https'}); sys.exit(0 if u.urlopen(req, timeout=8).status == 200 else 1)"]

# No --proxy-headers: Daphne would take the leftmost X-Forwarded-For entry, which the visitor writes.
# Django decides the client address itself from TRUSTED_PROXY_COUNT (community/proxies.py), and the
# scheme from X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER).
CMD ["daphne", "-b", "0.0.0.0", "-p", "8000", "community.asgi:application"]
