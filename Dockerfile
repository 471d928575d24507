# genxi's image for a small site (deploy/compose.yaml, docs/deploy.md): the app, its static
# files collected, the Debian packages the PDFs need. The same image runs the web nodes
# (gunicorn), the background worker and the periodic commands.
FROM python:3.11-slim-bookworm

RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk nodejs npm \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /srv/genxi/app
COPY pyproject.toml constraints.txt package.json package-lock.json README.md ./
COPY scripts ./scripts
COPY src ./src
COPY deploy ./deploy
RUN npm ci --no-audit --no-fund --loglevel=error && scripts/copy_assets.sh && rm -rf node_modules \
 && pip install --no-cache-dir -c constraints.txt . \
 && useradd --system --home /srv/genxi genxi && mkdir -p /srv/genxi/var && chown genxi /srv/genxi/var

ENV DJANGO_SETTINGS_MODULE=genxi.config.settings.prod GENXI_HOME=/srv/genxi \
    PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus GENXI_BIND=0.0.0.0:8000
USER genxi
EXPOSE 8000
CMD ["sh", "-c", "mkdir -p $PROMETHEUS_MULTIPROC_DIR && exec gunicorn -c deploy/gunicorn.conf.py genxi.config.wsgi"]
