"""The API's own settings: keys, rate limit and request size, from the environment.

The variable names are a published contract (`API_KEYS`, `ADMIN_API_KEYS`,
`API_RATE_LIMIT`), so they carry no `HPQA_` prefix; everything about
documents, the index and the model still comes from `settings.Settings`.
"""
from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def split_keys(text: str) -> frozenset[str]:
    """Comma-separated keys, blanks dropped.

    >>> sorted(split_keys(" a1, b2,,  "))
    ['a1', 'b2']
    """
    return frozenset(k.strip() for k in (text or "").split(",") if k.strip())


class ApiConfig(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", env_file=".env", extra="ignore")

    api_keys: str = Field("", description="API_KEYS: comma-separated keys that may ask, search and list.")
    admin_api_keys: str = Field("", description="ADMIN_API_KEYS: comma-separated keys that may also add and delete documents.")
    api_rate_limit: float = Field(100.0, ge=0, description="API_RATE_LIMIT: requests per second per key; 0 = off.")
    api_max_body_kb: int = Field(1024, ge=1, description="API_MAX_BODY_KB: largest request body except uploads, in KB "
                                                         "(above the largest body the schema allows, fully escaped).")

    def user_keys(self) -> frozenset[str]:
        return split_keys(self.api_keys)

    def admin_keys(self) -> frozenset[str]:
        return split_keys(self.admin_api_keys)
