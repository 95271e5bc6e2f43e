"""Settings of dangqun. Every value comes from an environment variable with a safe
default; the README lists them all (section "Settings")."""

import importlib.util
import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def env_area(name: str) -> tuple[float, float, float, float] | None:
    """A box of WGS-84 degrees written "south,west,north,east", or None when unset."""
    from django.core.exceptions import ImproperlyConfigured

    raw = env(name).strip()
    if not raw:
        return None
    try:
        south, west, north, east = (float(part) for part in raw.split(","))
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be south,west,north,east in degrees") from None
    if not (-90 <= south < north <= 90 and -180 <= west < east <= 180):
        raise ImproperlyConfigured(f"{name} must be south,west,north,east in degrees")
    return south, west, north, east


# var/ holds what one installation owns: the SQLite file, uploads, the development key.
VAR_DIR = Path(env("DANGQUN_VAR_DIR", str(BASE_DIR.parent / "var"))).resolve()


def _development_secret_key() -> str:
    """A key generated once into var/ so a fresh checkout runs without a committed secret."""
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = env("DANGQUN_SECRET_KEY") or _development_secret_key()
# The key that encrypts resident ID numbers; defaults to one derived from SECRET_KEY.
FIELD_ENCRYPTION_KEY = env("DANGQUN_FIELD_ENCRYPTION_KEY")
DEBUG = env_bool("DANGQUN_DEBUG")
ALLOWED_HOSTS = env_list("DANGQUN_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DANGQUN_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "dangqun",
    "dangqun.core",
    "dangqun.places",
    "dangqun.people",
    "dangqun.accounts",
    "dangqun.bookings",
    "dangqun.activities",
    "dangqun.workdays",
    "dangqun.intake",
    "dangqun.riders",
    "dangqun.charging",
    "dangqun.volunteers",
    "dangqun.partners",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages, JSON and feeds gzipped (a map page 38 KB -> 5 KB). Safe from BREACH since
    # Django 4.2: the middleware pads each response with random bytes ("Heal the BREACH"),
    # and the CSRF token is masked anew on every response.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "dangqun.core.middleware.ApiErrorsMiddleware",
    "dangqun.core.middleware.UnstorableInputMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "dangqun.accounts.middleware.PersonLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "dangqun.urls"
WSGI_APPLICATION = "dangqun.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dangqun.core.context_processors.site",
            ],
        },
    }
]

# SQLite under var/ by default; PostgreSQL (psycopg 3) when DATABASE_URL names it.
SQLITE_PATH = VAR_DIR / "dangqun.sqlite3"
DATABASE_URL = env("DATABASE_URL")
# The hot hand-written statements (core/rows.py) are prepared once per PostgreSQL
# connection; turn off behind a pooler in transaction mode that cannot carry them.
PREPARED_STATEMENTS = env_bool("DANGQUN_PREPARED_STATEMENTS", True)
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if PREPARED_STATEMENTS:
        # Only cursors that ask to prepare do (core.rows.cursor); Django's own cursors
        # bind on the client and never prepare, whatever this threshold.
        DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 5
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": {
                # Writers take the lock when the transaction starts, so two writers never
                # deadlock upgrading read locks; readers keep reading thanks to WAL.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            # Tests use a file too (one per process), so threads of a live server share it
            # with the same locking as production, not an in-memory shared cache.
            "TEST": {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")},
        }
    }

AUTH_USER_MODEL = "people.Person"
AUTHENTICATION_BACKENDS = ["dangqun.accounts.backends.PersonBackend"]
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# ISO values in date and time inputs whatever the language (dangqun/formats/iso.py).
FORMAT_MODULE_PATH = ["dangqun.formats"]
USE_TZ = True
# Numbers print plainly: with a separator, English pages wrote ids of 1000 and over as
# "1,778" into links, form values and element ids, and the choice pointed at nothing.
USE_THOUSAND_SEPARATOR = False
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600

STATIC_URL = "/static/"
# Leaflet's own files from the django-leaflet package (the riders' maps), served as
# /static/leaflet/...; the package's app is not installed (its form widgets need GDAL).
STATICFILES_DIRS = [
    ("leaflet", Path(importlib.util.find_spec("leaflet").origin).parent / "static" / "leaflet")
]
STATIC_ROOT = Path(env("DANGQUN_STATIC_ROOT", str(VAR_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploads (photos) live outside the package and outside the static folders.
MEDIA_ROOT = Path(env("DANGQUN_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Security: safe by default, HTTPS hardening switched on by DANGQUN_HTTPS behind a proxy.
HTTPS = env_bool("DANGQUN_HTTPS")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 14 * 24 * 3600
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DANGQUN_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env("DANGQUN_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DANGQUN_HSTS_PRELOAD")
    if not SECURE_HSTS_PRELOAD:
        # Preloading binds the whole domain for months, so the operator opts in with
        # DANGQUN_HSTS_PRELOAD=1; until then the deploy check's reminder is expected.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
# Behind a reverse proxy, the client's address is the last X-Forwarded-For hop.
BEHIND_PROXY = env_bool("DANGQUN_BEHIND_PROXY", HTTPS)
# The health check answers load balancers over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Short-message sender: a dotted path to a class with send(mobile, text).
SMS_SENDER = env("DANGQUN_SMS_SENDER", "dangqun.core.sms.ConsoleSender")
SIGN_IN = {
    "CODE_TTL_SECONDS": 300,
    "CODE_MAX_TRIES": 5,
    "CODES_PER_MOBILE_PER_HOUR": int(env("DANGQUN_CODES_PER_MOBILE_PER_HOUR", "5")),
    "CODE_RESEND_SECONDS": 60,
    "CODES_PER_IP_PER_HOUR": int(env("DANGQUN_CODES_PER_IP_PER_HOUR", "30")),
    "PASSWORD_FAILURES_BEFORE_LOCK": 5,
    "PASSWORD_LOCK_SECONDS": 15 * 60,
    # Many accounts tried from one address is password spraying, whatever each account says.
    "PASSWORD_FAILURES_PER_IP": int(env("DANGQUN_PASSWORD_FAILURES_PER_IP", "20")),
}

# One-stop intake: request numbers (YH-20261129-0001), attachments, the due-soon window.
# Volunteers (README, "Volunteers: the rules and the defaults").
VOLUNTEERS = {
    # A shift counts only when the attendance covers at least this share of it.
    "CREDIT_MIN_SHARE": float(env("DANGQUN_VOLUNTEERS_CREDIT_MIN_SHARE", "0.6")),
    # Hours for one to five stars (一星 … 五星).
    "STAR_HOURS": [
        int(h) for h in env("DANGQUN_VOLUNTEERS_STAR_HOURS", "100,300,600,1000,1500").split(",")
    ],
    "POINTS_PER_CREDIT_HOUR": env("DANGQUN_VOLUNTEERS_POINTS_PER_CREDIT_HOUR", "1"),
    "POINTS_PER_HONOUR_HOUR": env("DANGQUN_VOLUNTEERS_POINTS_PER_HONOUR_HOUR", "0"),
    # Empty: points never expire.
    "POINTS_EXPIRE_DAYS": int(env("DANGQUN_VOLUNTEERS_POINTS_EXPIRE_DAYS", "0") or 0) or None,
    # A volunteer cancels their shift up to this many hours before it starts.
    "CANCEL_CUTOFF_HOURS": int(env("DANGQUN_VOLUNTEERS_CANCEL_CUTOFF_HOURS", "12")),
    # A TrueType/OpenType font with Chinese glyphs for certificates' PDFs; empty: Debian's
    # fonts-noto-cjk where it is installed.
    "CJK_FONT": env("DANGQUN_CJK_FONT", ""),
}

# Partners' pledges (README, "Partners: figures and pledges"): delivered at or above GREEN
# per cent of what is due by today is on track (green), at or above AMBER behind (amber),
# below it far behind (red).
PARTNERS = {
    "PLEDGE_GREEN_PERCENT": int(env("DANGQUN_PARTNERS_PLEDGE_GREEN_PERCENT", "100")),
    "PLEDGE_AMBER_PERCENT": int(env("DANGQUN_PARTNERS_PLEDGE_AMBER_PERCENT", "60")),
}

# One limit for every uploaded attachment (intake's files, volunteers' evidence).
ATTACHMENT_MAX_BYTES = int(env("DANGQUN_INTAKE_ATTACHMENT_MAX_BYTES", str(5 * 1024 * 1024)))
INTAKE = {
    "NUMBER_PREFIX": env("DANGQUN_INTAKE_NUMBER_PREFIX", "YH"),
    "ATTACHMENTS_PER_REQUEST": 5,
    "DUE_SOON_WORKING_DAYS": 2,
}

# Open311 GeoReport v2 at /open311/v2/: the one jurisdiction (the district's GB/T 2260
# code) and how many requests one API key may POST per hour.
OPEN311 = {
    "JURISDICTION_ID": env("DANGQUN_OPEN311_JURISDICTION_ID", "330110"),
    "POSTS_PER_KEY_PER_HOUR": int(env("DANGQUN_OPEN311_POSTS_PER_HOUR", "30")),
    "STAFF_POSTS_PER_KEY_PER_HOUR": int(env("DANGQUN_OPEN311_STAFF_POSTS_PER_HOUR", "300")),
}

# Background tasks (reminders, lapsing offers) wait in the database for `dangqun worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The 24-hour charging room: a cabinet silent this long shows its slots offline; a rider's
# hold of a slot lasts this long; a device report's timestamp must be this fresh.
CHARGING = {
    "OFFLINE_AFTER_SECONDS": int(env("DANGQUN_CHARGING_OFFLINE_AFTER_SECONDS", "180")),
    "RESERVATION_MINUTES": int(env("DANGQUN_CHARGING_RESERVATION_MINUTES", "15")),
    "SIGNATURE_WINDOW_SECONDS": int(env("DANGQUN_CHARGING_SIGNATURE_WINDOW_SECONDS", "300")),
    # How often an open room page refreshes its slots, and the demo cabinets report.
    "POLL_SECONDS": int(env("DANGQUN_CHARGING_POLL_SECONDS", "15")),
    "DEMO_REPORT_SECONDS": int(env("DANGQUN_CHARGING_DEMO_REPORT_SECONDS", "30")),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DANGQUN_LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"level": "ERROR"}},
}

SITE_NAME = _("Party-Mass Service Platform")
# The district the installation serves, shown in the header, titles and footer; the English
# name is shown on English pages.
DISTRICT_NAME = env("DANGQUN_DISTRICT_NAME", "余杭区")
DISTRICT_NAME_EN = env("DANGQUN_DISTRICT_NAME_EN", "Yuhang District")
# Where the district's places may lie: "south,west,north,east" in WGS-84 degrees. Centers,
# stations and coverage analyses outside it are refused; unset, China's box applies
# (latitude 3.8-53.6, longitude 73.5-135.1; core/geo.py).
DISTRICT_AREA = env_area("DANGQUN_DISTRICT_AREA")

# Riders' reach search (riders/travel.py). Sources of the defaults: README, "Settings".
RIDERS_TRAVEL = {
    "ENGINE": env("DANGQUN_TRAVEL_ENGINE", "straight_line"),  # or "osrm"
    "EBIKE_KMH": float(env("DANGQUN_EBIKE_KMH", "25")),
    "WALK_KMH": float(env("DANGQUN_WALK_KMH", "4.5")),
    "DETOUR": float(env("DANGQUN_DETOUR_FACTOR", "1.35")),
    "OSRM_URL": env("DANGQUN_OSRM_URL", "http://127.0.0.1:5000"),
    "OSRM_PROFILES": {
        "ebike": env("DANGQUN_OSRM_EBIKE_PROFILE", "bike"),
        "walk": env("DANGQUN_OSRM_WALK_PROFILE", "foot"),
    },
    "HTTP_TIMEOUT": float(env("DANGQUN_TRAVEL_TIMEOUT", "3")),
    "MAX_MINUTES": 60,
}
# Map tiles of the riders' map page: a URL template with {s}, {z}, {x}, {y}, and its credit.
MAP_TILES_URL = env("DANGQUN_MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILES_ATTRIBUTION = env(
    "DANGQUN_MAP_TILES_ATTRIBUTION",
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
)
# The tiles' coordinate system: wgs84 (OpenStreetMap, Tianditu) or gcj02 (Amap, Tencent); the
# maps shift markers onto GCJ-02 tiles and taps back (core/geo.py). {s} takes the subdomains.
MAP_TILES_CRS = env("DANGQUN_MAP_TILES_CRS", "wgs84").strip().lower()
MAP_TILES_SUBDOMAINS = env("DANGQUN_MAP_TILES_SUBDOMAINS", "abc")
