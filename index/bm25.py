"""Word-level BM25 over jieba tokens, with a user dictionary of domain terms.

The dictionary is `index/terms.txt` plus every short quoted term (“1+1+1”,
“十四五”) found in the indexed texts, so the documents' own coinages stay whole.
jieba and bm25s are imported lazily. The index is saved with bm25s's own
numpy/JSON files (no pickle).
"""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

TERMS_FILE = Path(__file__).with_name("terms.txt")
QUOTED = re.compile(r"[“\"「]([^”\"」]{2,10})[”\"」]")
STOPWORDS = frozenset("的 了 和 与 及 等 在 是 为 对 将 并 或 其 中 以 于 由 把 被 也 都 而 之 个 有 就 吗 呢 啊 吧 么 什么 多少 哪些 怎么 如何 请问 一下".split())
_PUNCT = re.compile(r"^[\W_]+$")


def domain_terms(texts: Iterable[str]) -> list[str]:
    """Curated terms plus quoted coinages from `texts`, sorted, unique.

    >>> "1+1+1" in domain_terms(["家庭医生“1+1+1”签约"])
    True
    """
    terms = {t.strip() for t in TERMS_FILE.read_text(encoding="utf-8").splitlines()
             if t.strip() and not t.startswith("#")}
    for text in texts:
        terms.update(m.strip() for m in QUOTED.findall(text) if m.strip())
    return sorted(terms)


class Tokenizer:
    """jieba search-mode tokens, NFKC + casefold, punctuation and stop words dropped."""

    def __init__(self, terms: Sequence[str] = ()):
        self.terms = list(terms)
        self._jieba = None

    def _cutter(self):
        if self._jieba is None:
            import logging

            import jieba

            jieba.setLogLevel(logging.WARNING)
            tk = jieba.Tokenizer()
            for t in self.terms:
                tk.add_word(unicodedata.normalize("NFKC", t).casefold(), freq=20000)
            self._jieba = tk
        return self._jieba

    def tokenize(self, text: str) -> list[str]:
        text = unicodedata.normalize("NFKC", text).casefold()
        return [t for t in self._cutter().cut_for_search(text)
                if t.strip() and not _PUNCT.match(t) and t not in STOPWORDS]


def bigrams(text: str) -> list[str]:
    """Character bigrams with whitespace and punctuation removed (robust to typos and word splits).

    >>> bigrams("家庭 医生。")
    ['家庭', '庭医', '医生']
    """
    s = re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).casefold())
    return [s[i:i + 2] for i in range(len(s) - 1)] or ([s] if s else [])


class BigramTokenizer:
    """Character-bigram tokens; `terms` kept for a uniform save format."""

    terms: list[str] = []

    def tokenize(self, text: str) -> list[str]:
        return bigrams(text)


TOKENIZERS = {"jieba": Tokenizer, "bigram": BigramTokenizer}


class BM25Index:
    """bm25s over our tokens; `scores(query)` gives a score for every chunk."""

    def __init__(self, model, tokenizer: Tokenizer):
        self.model, self.tokenizer = model, tokenizer

    @classmethod
    def build(cls, texts: Sequence[str], tokenizer: Tokenizer) -> "BM25Index":
        import logging

        import bm25s

        logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs each build at DEBUG
        model = bm25s.BM25(k1=1.2, b=0.75)
        model.index([tokenizer.tokenize(t) or ["<empty>"] for t in texts], show_progress=False)
        return cls(model, tokenizer)

    def scores(self, query: str) -> np.ndarray:
        tokens = [t for t in self.tokenizer.tokenize(query) if t in self.model.vocab_dict]
        if not tokens:
            return np.zeros(self.model.scores["num_docs"], dtype=np.float32)
        return np.asarray(self.model.get_scores(tokens), dtype=np.float32)

    def save(self, folder: Path) -> None:
        self.model.save(str(folder), show_progress=False)
        kind = "bigram" if isinstance(self.tokenizer, BigramTokenizer) else "jieba"
        (folder / "tokenizer.txt").write_text(kind, encoding="utf-8")
        (folder / "terms.txt").write_text("\n".join(self.tokenizer.terms), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> "BM25Index":
        import bm25s

        model = bm25s.BM25.load(str(folder), show_progress=False, verbosity=0)
        kind = (folder / "tokenizer.txt").read_text(encoding="utf-8").strip()
        if kind == "bigram":
            return cls(model, BigramTokenizer())
        return cls(model, Tokenizer((folder / "terms.txt").read_text(encoding="utf-8").splitlines()))
