"""Character error rate between two texts, as the extraction benchmark and tests measure it.

Both texts are normalised first (NFKC, all whitespace removed), so full-width
and half-width forms, line breaks and spacing do not count; the edit distance
is Myers' bit-parallel algorithm over Python integers (fast enough for a whole
document), divided by the reference length.
"""
from __future__ import annotations

import unicodedata


def normalise(text: str) -> str:
    """NFKC, whitespace removed.

    >>> normalise("（一） 2020 年\\n８４％")
    '(一)2020年84%'
    """
    return "".join(unicodedata.normalize("NFKC", text).split())


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions).

    >>> edit_distance("kitten", "sitting"), edit_distance("", "abc"), edit_distance("卫生健康", "卫健康委")
    (3, 3, 2)
    """
    if not a:
        return len(b)
    if not b:
        return len(a)
    peq: dict[str, int] = {}
    for i, ch in enumerate(a):
        peq[ch] = peq.get(ch, 0) | (1 << i)
    m = len(a)
    mask = (1 << m) - 1
    high = 1 << (m - 1)
    pv, mv, score = mask, 0, m
    for ch in b:
        eq = peq.get(ch, 0)
        xv = eq | mv
        xh = (((eq & pv) + pv) ^ pv) | eq
        ph = mv | (~(xh | pv) & mask)
        mh = pv & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        ph = ((ph << 1) | 1) & mask
        mh = (mh << 1) & mask
        pv = mh | (~(xv | ph) & mask)
        mv = ph & xv
    return score


def cer(hypothesis: str, reference: str) -> float:
    """Edits to turn the normalised hypothesis into the normalised reference, per reference character.

    >>> round(cer("卫生 健康", "卫生健康委"), 3)
    0.2
    """
    ref, hyp = normalise(reference), normalise(hypothesis)
    return edit_distance(hyp, ref) / max(1, len(ref))
