# JobTrax: one image for the web server, the Celery worker and the single beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    # The app runs from its source tree, where settings find templates/ and static/.
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=jobtrax.settings \
    JOBTRAX_VAR_DIR=/app/var

RUN groupadd --system --gid 10001 jobtrax \
    && useradd --system --uid 10001 --gid jobtrax --home-dir /app --shell /usr/sbin/nologin jobtrax

WORKDIR /app

COPY . .
RUN pip install . \
    # collectstatic reads the settings, which want a key; this one is thrown away with the layer.
    && SECRET_KEY=collectstatic-only DATABASE_URL=sqlite:////tmp/build.sqlite3 \
       python manage.py collectstatic --noinput \
    && rm -f /tmp/build.sqlite3 \
    && mkdir -p /app/var \
    && chown -R jobtrax:jobtrax /app/var

USER jobtrax

EXPOSE 8000

# Two workers suit the two cores the Argon2 parameters were chosen for (see accounts/hashers.py):
# each sign-in holds 64 MiB while it hashes. No gunicorn access log: it would write client IPs
# and paths that carry verification and reset keys; the app keeps its own minimal request log.
# The error log's client addresses are truncated as the request log's are.
CMD ["gunicorn", "jobtrax.wsgi:application", \
     "--logger-class", "jobtrax.gunicorn_logging.TruncatedIPLogger", \
     "--bind", "0.0.0.0:8000", \
     "--workers", "2", \
     "--threads", "2", \
     "--timeout", "30"]
