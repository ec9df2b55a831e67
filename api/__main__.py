"""CLI: python -m api [--host 127.0.0.1] [--port PORT] [--index DIR]

Starts the HTTP API with uvicorn. Keys come from the environment: API_KEYS
(ask, search, list) and ADMIN_API_KEYS (also add and delete documents);
API_RATE_LIMIT sets requests per second per key (default 100, 0 = off).
Logs are JSON lines on stderr. Exit status 2 when the model is not converted.
"""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m api", description=__doc__.split("\n\n")[1])
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, loopback only)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    p.add_argument("--index", type=Path, help="index folder (default: settings.index_dir, ./data/index)")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from api.logs import setup_logging

    setup_logging()
    log = logging.getLogger("api")
    import uvicorn

    from api.app import create_app
    from api.config import ApiConfig
    from index.embed import ModelMissing
    from settings import Settings

    settings = Settings(**({"index_dir": args.index} if args.index else {}))
    config = ApiConfig()
    if not (config.user_keys() or config.admin_keys()):
        log.warning("API_KEYS and ADMIN_API_KEYS are empty: every route but /health will answer 401/403")
    try:
        app = create_app(settings, config)
    except ModelMissing as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    log.info("serving on http://%s:%d (index %s, corpus %s)", args.host, args.port, settings.index_dir,
             settings.corpus_dir)
    uvicorn.run(app, host=args.host, port=args.port, log_config=None, access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
