"""What a mention is about: violence, diplomacy, humanitarian, or other.

A transparent rule, not a model: each category has a word list
(``geomap/data/categories.json``, which documents the rule and can be
replaced by a file or mapping of your own). A mention gets the category
whose words occur most often in its sentence; ties go to the category
listed first; a sentence with none of the words is ``"other"``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

from geomap.errors import ConfigurationError, InputError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["OTHER", "COLOURS", "load_words", "category_of", "categorize", "dominant"]

#: Category of sentences that match no word list.
OTHER = "other"
#: Marker colours of the built-in categories (others are grey).
COLOURS: dict[str, str] = {
    "violence": "#d7301f",
    "diplomacy": "#2b8cbe",
    "humanitarian": "#31a354",
    OTHER: "#777777",
}

#: The built-in word lists (documented in the file itself).
DEFAULT_WORDS = Path(__file__).parent / "data" / "categories.json"

Words = Mapping[str, Sequence[str]]


def load_words(words: Words | str | PathLike | None = None) -> dict[str, list[str]]:
    """The word lists: the built-in file, a JSON file of yours, or a mapping.

    Keys starting with ``_`` (comments) are ignored.

    Examples
    --------
    >>> list(load_words())
    ['violence', 'diplomacy', 'humanitarian']
    >>> load_words({"sport": ["match*"]})
    {'sport': ['match*']}
    """
    if words is None:
        words = json.loads(DEFAULT_WORDS.read_text("utf-8"))
    elif isinstance(words, str | PathLike):
        try:
            words = json.loads(Path(words).read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(f"Cannot read category words from {words}: {exc}") from exc
    if not isinstance(words, Mapping):
        raise ConfigurationError(
            f"Expected category words as a mapping of category to words, instead got: "
            f"{type(words).__name__}"
        )
    out = {}
    for category, items in words.items():
        if str(category).startswith("_"):
            continue
        if isinstance(items, str) or not isinstance(items, Sequence):
            raise ConfigurationError(
                f"Expected a list of words for category {category!r}, instead got: {items!r:.60}"
            )
        out[str(category)] = [str(w) for w in items]
    return out


def _patterns(words: dict[str, list[str]]) -> list[tuple[str, re.Pattern]]:
    out = []
    for category, items in words.items():
        alternatives = [re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w)
                        for w in items if w.strip("*")]
        if alternatives:
            pattern = r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)"
            out.append((category, re.compile(pattern, re.IGNORECASE)))
    return out


def category_of(sentence: str, words: Words | str | PathLike | None = None) -> str:
    """The category of one sentence.

    Examples
    --------
    >>> category_of("Shelling killed three civilians near Donetsk.")
    'violence'
    >>> category_of("Ceasefire talks resume in Geneva.")
    'diplomacy'
    >>> category_of("The weather in Yerevan was mild.")
    'other'
    """
    return _classify(sentence, _patterns(load_words(words)))


def _classify(sentence, patterns) -> str:
    if not isinstance(sentence, str) or not sentence:
        return OTHER
    best, hits = OTHER, 0
    for category, pattern in patterns:
        n = len(pattern.findall(sentence))
        if n > hits:
            best, hits = category, n
    return best


def categorize(mentions: pd.DataFrame, words: Words | str | PathLike | None = None
               ) -> pd.DataFrame:
    """A copy of the mention table with a ``category`` column.

    The category comes from the mention's ``sentence`` (its ``text`` when
    the sentence is empty). The input frame is not modified. The copy's
    ``attrs["categories"]`` lists every category of the word list (then
    ``"other"``), so counts can show the ones no mention has.

    Examples
    --------
    >>> from geomap.mentions import Mention, to_frame
    >>> df = to_frame([Mention("a", 0, 6, "Moscow", sentence="Moscow talks.")])
    >>> list(categorize(df)["category"]), "category" in df.columns
    (['diplomacy'], False)
    """
    words = load_words(words)
    patterns = _patterns(words)
    out = mentions.copy()
    if "sentence" in out.columns:
        texts = out["sentence"].where(out["sentence"].fillna("") != "", out.get("text"))
    else:
        texts = out.get("text", [""] * len(out))
    cache: dict[str, str] = {}
    categories = []
    for text in texts:
        key = text if isinstance(text, str) else ""
        if key not in cache:
            cache[key] = _classify(key, patterns)
        categories.append(cache[key])
    out["category"] = categories
    out.attrs["categories"] = [*words, *([OTHER] if OTHER not in words else [])]
    return out


def dominant(mentions: pd.DataFrame) -> dict[int, str]:
    """The most frequent category of each place (ties: alphabetical order).

    ``mentions`` needs a ``category`` column (see :func:`categorize`).
    """
    df = mentions[mentions["place_id"].notna()]
    if df.empty:
        return {}
    counts = df.groupby(["place_id", "category"]).size().reset_index(name="n")
    counts = counts.sort_values(["place_id", "n", "category"], ascending=[True, False, True])
    first = counts.drop_duplicates("place_id")
    return {int(p): str(c) for p, c in zip(first["place_id"], first["category"], strict=True)}
