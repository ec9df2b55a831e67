"""Small helpers shared by the API tests: keys, headers, parsing server-sent events."""
from __future__ import annotations

import json

USER, ADMIN = "user-key", "admin-key"


def auth(key: str = USER) -> dict:
    return {"Authorization": f"Bearer {key}"}


def parse_sse(body: str) -> list[tuple[str, dict]]:
    """[(event name, JSON data)] of a text/event-stream body."""
    events = []
    for frame in body.split("\n\n"):
        if not frame.strip():
            continue
        fields = dict(line.split(": ", 1) for line in frame.splitlines())
        events.append((fields["event"], json.loads(fields["data"])))
    return events
