"""Flask extensions, created once and bound to each app in the factory."""

from __future__ import annotations

from flask_babel import Babel
from flask_htmx import HTMX
from flask_login import LoginManager
from flask_wtf import CSRFProtect

babel = Babel()
csrf = CSRFProtect()
htmx = HTMX()
login_manager = LoginManager()
