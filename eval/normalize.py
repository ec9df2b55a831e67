"""Text normalisation shared by the dev-set checks and the scorer.

``normalize`` makes evidence quotes and ``must_include`` strings comparable
with the corpus text, whatever line breaks, full-width forms or dash
variants the PDF/web extraction produced.

Example:
    >>> normalize("２０２０ 年，户籍居民平均期望寿命 84.42岁")
    '2020年,户籍居民平均期望寿命84.42岁'
    >>> normalize("0—6 岁儿童\\n孤独症筛查 EMR6")
    '0-6岁儿童孤独症筛查emr6'
"""

import re
import unicodedata

# Every dash variant we map to ASCII "-" (applied after NFKC, which already
# folds some of them, e.g. U+FE63 and U+FF0D).
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_DASH_TABLE = str.maketrans({ch: "-" for ch in _DASHES})
_WHITESPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Return ``text`` NFKC-normalised, dashes unified to "-", all
    whitespace removed and casefolded.

    >>> normalize("Ｒｕｉｊｉｎ  Hospital – 400 张")
    'ruijinhospital-400张'
    """
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_DASH_TABLE)
    text = _WHITESPACE.sub("", text)
    return text.casefold()
