"""The one typed settings object every entry point builds and passes down.

Values come from (highest first) keyword arguments, environment variables
prefixed `HPQA_`, a `.env` file in the working directory, then the defaults
below. Paths are relative to the repository root unless absolute.
"""
from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HPQA_", env_file=".env", extra="ignore")

    corpus_dir: Path = Field(ROOT / "corpus", description="Folder of source documents.")
    metadata_file: str = Field("metadata.json", description="Metadata file inside corpus_dir; never indexed.")
    index_dir: Path = Field(ROOT / "data" / "index", description="Default index folder used by the app and every CLI.")
    model_dir: Path = Field(ROOT / "models" / "multilingual-e5-small", description="Converted sentence-transformers model folder.")
    embedder: str = Field("e5", description="Embedder implementation: e5 (the real model) or hash (a test double).")
    embed_batch_size: int = Field(32, ge=1, description="Passages per embedding batch.")
    torch_threads: int = Field(0, ge=0, description="torch CPU threads; 0 leaves torch's default.")
    max_file_mb: float = Field(20.0, gt=0, description="Largest document accepted by the loaders, in MB.")
    chunk_size: int = Field(300, ge=50, description="Target chunk length in characters of cleaned text.")
    chunk_max: int = Field(450, ge=50, description="Hard upper bound on a chunk's length (a longer sentence is cut).")
    table_rows_max: int = Field(6, ge=1, description="Most table rows in one table chunk.")
    ann_threshold: int = Field(50_000, ge=1, description="Above this many vectors the FAISS index is HNSW, below it exact inner product.")
    hnsw_m: int = Field(32, ge=4, description="HNSW graph degree (when HNSW is used).")
    hnsw_ef_construction: int = Field(200, ge=8, description="HNSW build-time breadth.")
    hnsw_ef_search: int = Field(128, ge=8, description="HNSW search-time breadth.")

    generator: str = Field("extractive", description="Answer generator: extractive (offline) or llm (OpenAI-compatible endpoint).")
    answer_passages: int = Field(5, ge=1, le=10, description="Passages given to the generator (numbered [1]..[n]).")
    llm_base_url: str = Field("", description="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8000/v1; empty = no LLM.")
    llm_model: str = Field("", description="Model name sent to the endpoint.")
    llm_api_key: str = Field("not-needed", description="API key for the endpoint (local servers usually ignore it).")
    llm_timeout_s: float = Field(30.0, gt=0, description="Seconds to wait for the endpoint before falling back to extractive.")
    llm_max_tokens: int = Field(400, ge=16, description="Longest LLM answer, in tokens.")

    feedback_file: Path = Field(ROOT / "data" / "feedback.jsonl", description="Where 👍/👎 feedback is appended (JSONL).")

    # issue 12: vector store (docs/scale_out.md)
    vector_store: str = Field("faiss", description="Dense vector store: faiss (in the index folder) or pgvector (PostgreSQL, shared by replicas).")
    pg_dsn: str = Field("", description="PostgreSQL DSN for vector_store=pgvector, e.g. postgresql://user:pw@host:5432/hpqa.")
    pg_table: str = Field("hpqa_chunks", description="pgvector table; one table per embedding model (the model is checked per table).")
    pg_hnsw_m: int = Field(16, ge=2, le=100, description="pgvector HNSW graph degree (m) when the table's index is built.")
    pg_hnsw_ef_construction: int = Field(64, ge=4, le=1000, description="pgvector HNSW build-time breadth (ef_construction).")

    # issue 8: faster embedding and automatic vector index choice (docs/speed.md)
    embed_backend: str = Field("openvino", description="Backend of the e5 embedder: openvino (exported by `make model`, 3-6x faster here, same results) or torch; recorded in the index manifest.")
    vector_index: str = Field("auto", description="FAISS index type: auto (by vector count, see index/vectors.py), flat, hnsw or ivf; recorded in the manifest.")
    ivf_threshold: int = Field(300_000, ge=1, description="With vector_index=auto, above this many vectors the FAISS index is IVF (SQ8), below it HNSW.")
    ivf_nprobe: int = Field(0, ge=0, description="IVF lists probed per search; 0 picks by list count (index/vectors.py).")

    # issue 10: scanned documents (docs/documents.md)
    extract_cache_dir: Path = Field(ROOT / "data" / "extract_cache", description="OCR'd documents kept by content hash, so a scan is OCR'd once (ingest/cache.py).")

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)

    def chunker_params(self) -> dict:
        """The settings that change chunk boundaries; recorded in the manifest."""
        return {"chunk_size": self.chunk_size, "chunk_max": self.chunk_max, "table_rows_max": self.table_rows_max}
