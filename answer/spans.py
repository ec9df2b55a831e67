"""Map a quote back to its exact span in the source document.

Chunk text is source text with whitespace tidied and artefact lines left out,
so a quote is found by comparing the non-whitespace characters. Pure.
"""
from __future__ import annotations


def locate(source: str, start: int, end: int, quote: str) -> tuple[int, int]:
    """Span of `quote` inside source[start:end] ignoring whitespace; the whole range if not found.

    >>> locate("ab\\n\\ncd ef", 0, 9, "bcd")
    (1, 6)
    """
    positions = [i for i in range(start, min(end, len(source))) if not source[i].isspace()]
    flat = "".join(source[i] for i in positions)
    needle = "".join(quote.split())
    k = flat.find(needle) if needle else -1
    if k < 0:
        return start, end
    return positions[k], positions[k + len(needle) - 1] + 1
