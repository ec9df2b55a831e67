"""Score tracker output against a hand-written gold set (eval/commitments_gold.jsonl). Pure.

Both sides are lists of issue 9 JSON objects. A predicted entry is aligned to a
gold entry of the same document whose quote overlaps; an aligned pair *counts*
(for extraction precision/recall) when the indicator, the target value and the
target year are right:
- indicator: the names (punctuation dropped) contain one another or their
  character-bigram Dice is ≥ 0.5;
- value: equal after dropping spaces; year: equal.
Per-field figures are over aligned pairs: precision = right / predicted entries,
recall = right / gold entries. Linking accuracy is over gold entries whose
extraction counts: the set of linked (document, value) pairs and the status
must both equal the gold's.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from commitments.similarity import bigram_dice, norm

FIELDS = ("kind", "indicator", "unit", "baseline", "target.value", "target.cmp", "target.year", "type")


def _squash(s: str) -> str:
    return "".join(s.split())


def quotes_overlap(a: str, b: str) -> bool:
    """Same statement: one quote holds the other, or they share most bigrams.

    >>> quotes_overlap("甲乙丙丁。", "甲乙丙丁"), quotes_overlap("甲乙", "丙丁")
    (True, False)
    """
    x, y = _squash(a), _squash(b)
    return bool(x and y) and (x in y or y in x or bigram_dice(x, y) >= 0.6)


def indicator_ok(gold: str, pred: str) -> bool:
    """Does a predicted indicator name the gold one?

    >>> indicator_ok("市级以上医学重点专科", "优势明显、综合竞争力强的市级以上医学重点专科"), indicator_ok("签约率", "床位数")
    (True, False)
    """
    g, p = norm(gold), norm(pred)
    return bool(g and p) and (g in p or p in g or bigram_dice(g, p) >= 0.5)


def _value(v: str) -> str:
    return _squash(str(v)).replace("－", "-").replace("—", "-")


def field_ok(name: str, gold: dict, pred: dict) -> bool:
    if name == "indicator":
        return indicator_ok(gold["indicator"], pred["indicator"])
    if name == "unit":
        return _value(gold["unit"]) == _value(pred["unit"])
    if name == "baseline":
        g, p = gold.get("baseline"), pred.get("baseline")
        return (g is None and p is None) or (g is not None and p is not None and _value(g["value"]) == _value(p["value"])
                                             and g["year"] == p["year"])
    if name.startswith("target."):
        key = name.split(".", 1)[1]
        g, p = gold.get("target") or {}, pred.get("target") or {}
        return _value(g.get(key, "")) == _value(p.get(key, "")) if key != "year" else g.get("year") == p.get("year")
    return gold.get(name) == pred.get(name)


def counts(gold: dict, pred: dict) -> bool:
    """The issue's rule: an entry counts when indicator, target value and year are right."""
    return all(field_ok(f, gold, pred) for f in ("indicator", "target.value", "target.year"))


def results_key(entry: dict) -> frozenset:
    return frozenset((r["doc"], _value(r["value"])) for r in entry.get("results", []))


@dataclass
class Report:
    n_gold: int
    n_pred: int
    counted: int
    pairs: list[tuple[dict, dict]] = field(default_factory=list)  # aligned (gold, pred)
    missed: list[dict] = field(default_factory=list)  # gold with no counted prediction
    spurious: list[dict] = field(default_factory=list)  # predictions with no counted gold
    field_right: dict[str, int] = field(default_factory=dict)
    link_right: int = 0
    link_total: int = 0
    status_right: int = 0
    link_errors: list[tuple[dict, dict]] = field(default_factory=list)
    unsupported_status: list[dict] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.counted / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        return self.counted / self.n_gold if self.n_gold else 0.0

    @property
    def link_accuracy(self) -> float:
        return self.link_right / self.link_total if self.link_total else 0.0


def unsupported(entry: dict) -> bool:
    """A met/not_met status without a quote on both sides."""
    return entry["status"] in ("met", "not_met") and not (
        entry.get("quote", "").strip() and any(r.get("quote", "").strip() for r in entry.get("results", [])))


def evaluate(gold: list[dict], pred: list[dict]) -> Report:
    """Align, count and score; see the module docstring."""
    rep = Report(len(gold), len(pred), 0, field_right={f: 0 for f in FIELDS})
    free = list(range(len(pred)))
    aligned: list[tuple[dict, dict | None, bool]] = []
    for g in gold:
        options = [i for i in free if pred[i]["doc"] == g["doc"] and quotes_overlap(g["quote"], pred[i]["quote"])]
        full = [i for i in options if counts(g, pred[i])]
        partial = [i for i in options if indicator_ok(g["indicator"], pred[i]["indicator"])]
        pick = (full or partial or [None])[0]
        if full:
            # prefer the prediction that also gets the unit and comparison right
            pick = max(full, key=lambda i: (field_ok("unit", g, pred[i]), field_ok("target.cmp", g, pred[i])))
        if pick is not None:
            free.remove(pick)
        aligned.append((g, pred[pick] if pick is not None else None, bool(full)))
    for g, p, ok in aligned:
        if p is None:
            rep.missed.append(g)
            continue
        rep.pairs.append((g, p))
        for f in FIELDS:
            rep.field_right[f] += field_ok(f, g, p)
        if not ok:
            rep.missed.append(g)
            continue
        rep.counted += 1
        rep.link_total += 1
        link_ok = results_key(g) == results_key(p)
        status_ok = g["status"] == p["status"]
        rep.status_right += status_ok
        if link_ok and status_ok:
            rep.link_right += 1
        else:
            rep.link_errors.append((g, p))
    counted_ids = {id(p) for g, p, ok in aligned if ok and p is not None}
    rep.spurious = [p for p in pred if id(p) not in counted_ids]
    rep.unsupported_status = [p for p in pred if unsupported(p)]
    return rep
