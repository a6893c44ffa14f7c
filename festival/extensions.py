"""Extension objects, created unbound; create_app() binds them."""

from flask_babel import Babel
from flask_caching import Cache
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from huey import MemoryHuey
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints so that Alembic can alter them on SQLite (batch mode) and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
# Rendered public pages, kept briefly: the ceremony night's hall full of phones reads the same
# lineup again and again. In-process by default, Redis with CACHE_REDIS_URL.
cache = Cache()
babel = Babel()


class _WholeResponsesCompress(Compress):
    """Compresses whole responses only: a range of a file (206) is bytes of the file as it is
    stored, and compressing it would hand the browser a piece it cannot place."""

    def after_request(self, response):
        if response.status_code == 206:
            return response
        return super().after_request(response)


# Pages, feeds and API answers compressed as the browser accepts (Brotli, else gzip): a
# programme page is a fifth of its size on a phone's connection. Static files come compressed
# already (festival.static_files).
compress = _WholeResponsesCompress()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
# Two lanes of jobs, each a queue of its own (storage chosen by festival.jobs.init_jobs():
# SQLite or Redis). `huey` takes what people wait for in seconds: checks, thumbnails, emails,
# sweeps. `encode_queue` takes the minutes-long video work (browser encodes, screening
# packs), so that a film uploaded during two HEVC encodes is checked at once.
huey = MemoryHuey("festival", utc=True)
encode_queue = MemoryHuey("festival-encodes", utc=True)
