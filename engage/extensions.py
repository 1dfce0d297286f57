"""Flask extensions, created unbound and bound to an app in ``create_app``."""

from __future__ import annotations

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from engage.orm import Base

# ``join_transaction_mode`` only matters when a session is bound to a connection that
# already has a transaction open: the test suite does that so that each test can be
# rolled back; ordinary sessions are bound to the engine and are unaffected.
db = SQLAlchemy(
    model_class=Base,
    session_options={"join_transaction_mode": "create_savepoint"},
)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address)
