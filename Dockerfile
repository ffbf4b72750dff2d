# Production image. Front-end assets are built in a Node stage; no CDN at run time.
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
RUN mkdir -p static/vendor/uswds \
 && cp -r node_modules/@uswds/uswds/dist/css node_modules/@uswds/uswds/dist/fonts \
          node_modules/@uswds/uswds/dist/img node_modules/@uswds/uswds/dist/js static/vendor/uswds/

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# WeasyPrint's Pango and HarfBuzz, fonts for every language we promise (Noto CJK for Chinese), gettext.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
      shared-mime-info fonts-noto-core fonts-noto-cjk fonts-dejavu-core gettext \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 welcoming
WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock
COPY . .
COPY --from=assets /build/static/vendor static/vendor
# Build-time only values, so settings load for collectstatic; the real ones come from .env at run time.
RUN SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret-0123 ALLOWED_HOSTS=build ENV_FILE=/dev/null \
    PUBLIC_BASE_URL=https://build.invalid \
    AUDIT_CHAIN_KEY=build-only-not-a-key-build-only-not-a-key-build-only-0123 \
    python manage.py collectstatic --no-input -v 0 \
 && python manage.py compilemessages -v 0 \
 && mkdir -p /app/media && chown -R welcoming /app/media
USER welcoming
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
