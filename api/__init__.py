"""The HTTP API (FastAPI): `create_app(settings, config)`; run it with `python -m api`."""
from api.app import create_app
from api.config import ApiConfig

__all__ = ["ApiConfig", "create_app"]
