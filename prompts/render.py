"""Load prompt templates from this folder and render them strictly.

A template is `prompts/<name>.txt`. Its first line declares the variables it
takes; the rest is the text, with `{name}` placeholders (Python `str.format`
syntax restricted to bare names) and literal braces doubled (`{{`, `}}`):

    # variables: question, passages, language
    Question: {question}
    ...

`# variables:` with nothing after the colon declares none. On load, the
placeholders used in the text must be exactly the declared variables; on
render, the keyword arguments must be exactly the declared variables. Either
mismatch raises `PromptError` naming the template and the variables.
Templates are read once and cached. This module does not decide what goes
into a prompt (see answer/llm.py); it only fills templates in.
"""
from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

FOLDER = Path(__file__).resolve().parent
HEADER = "# variables:"
_NAME = re.compile(r"[a-z][a-z0-9_]*")


class PromptError(ValueError):
    """A template is missing or malformed, or was rendered with the wrong variables."""


@dataclass(frozen=True)
class Template:
    name: str
    variables: tuple[str, ...]
    text: str


def available() -> list[str]:
    """The template names in this folder."""
    return sorted(p.stem for p in FOLDER.glob("*.txt"))


def parse(name: str, source: str) -> Template:
    """Parse a template's source: the header line, then the text.

    >>> t = parse("demo", "# variables: who\\nHello {who}, {{literal}}.\\n")
    >>> t.variables, t.text.format(who="you")
    (('who',), 'Hello you, {literal}.')
    """
    header, _, text = source.partition("\n")
    if not header.startswith(HEADER):
        raise PromptError(f"prompt {name!r}: the first line must be {HEADER!r} followed by the variable names, "
                          f"got {header!r}")
    declared = tuple(v.strip() for v in header[len(HEADER):].split(",") if v.strip())
    bad = [v for v in declared if not _NAME.fullmatch(v)]
    if bad or len(set(declared)) != len(declared):
        raise PromptError(f"prompt {name!r}: bad or repeated variable names in the header: {', '.join(declared)}")
    used: set[str] = set()
    try:
        fields = list(string.Formatter().parse(text))
    except ValueError as e:  # a single '{' or '}'
        raise PromptError(f"prompt {name!r}: {e} (double literal braces: '{{{{' and '}}}}')") from e
    for _, field, spec, conversion in fields:
        if field is None:
            continue
        if not _NAME.fullmatch(field) or spec or conversion:
            raise PromptError(f"prompt {name!r}: placeholder {{{field}}} is not a bare variable name")
        used.add(field)
    undeclared, unused = sorted(used - set(declared)), sorted(set(declared) - used)
    if undeclared or unused:
        raise PromptError(f"prompt {name!r}: header and text disagree; used but not declared: "
                          f"{', '.join(undeclared) or '-'}; declared but not used: {', '.join(unused) or '-'}")
    return Template(name, declared, text.rstrip("\n"))


@lru_cache(maxsize=None)
def load(name: str) -> Template:
    """The parsed template `prompts/<name>.txt` (read once, then cached)."""
    path = FOLDER / f"{name}.txt"
    if not _NAME.fullmatch(name) or not path.is_file():
        raise PromptError(f"unknown prompt {name!r}: choose from {', '.join(available())}")
    return parse(name, path.read_text(encoding="utf-8"))


def render(name: str, **variables) -> str:
    """Fill in template `name` with exactly its declared variables.

    >>> render("refusal", question="x")
    Traceback (most recent call last):
    ...
    prompts.render.PromptError: prompt 'refusal': unexpected variable(s): question (declared: none)
    """
    template = load(name)
    missing = [v for v in template.variables if v not in variables]
    unexpected = sorted(set(variables) - set(template.variables))
    if missing or unexpected:
        problems = []
        if missing:
            problems.append(f"missing variable(s): {', '.join(missing)}")
        if unexpected:
            problems.append(f"unexpected variable(s): {', '.join(unexpected)}")
        declared = ", ".join(template.variables) or "none"
        raise PromptError(f"prompt {name!r}: {'; '.join(problems)} (declared: {declared})")
    return template.text.format_map(variables)
