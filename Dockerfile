# The web app as a container: gunicorn, as a non-root user, with a HEALTHCHECK on /ready.
# Build:  docker build -t stalking-harassment-check .
# Run it behind the TLS-terminating proxy of compose.yaml (README, "In production").
# The app keeps no state: scale out by running more containers behind the proxy.

# -- the front-end assets (GOV.UK Frontend compiled without the GOV.UK font), from npm --
FROM node:22-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY scripts/build-assets scripts/build-assets
COPY static/src static/src
RUN bash scripts/build-assets

# -- the app --
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    APP_ENV=production
RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin app
WORKDIR /app
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt
COPY app.py ./
COPY rules rules
COPY web web
COPY knowledge knowledge
COPY templates templates
COPY --from=assets /src/static/build static/build
USER app
EXPOSE 8000
# Ready once the knowledge is loaded and compiled; reports the knowledge version.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import json, sys, urllib.request; r = json.load(urllib.request.urlopen('http://127.0.0.1:8000/ready', timeout=4)); sys.exit(r.get('status') != 'ready')"]
# The same command as compose.yaml's (tests/test_container.py serves it). Sync workers, one
# request at a time each: the work is CPU-bound under one GIL, and behind the buffering proxy
# they gave 2.8x the throughput of 4 threads a worker on the ping route and p99 22 ms against
# 73 ms for the API (benchmarks/load.py, README Speed). No control socket: the user has no
# home to put it in and the root filesystem is read-only (gunicornc is not used).
CMD ["gunicorn", "--workers", "2", "--worker-class", "sync", "--bind", "0.0.0.0:8000", "--graceful-timeout", "20", "--no-control-socket", "app:create_app()"]
