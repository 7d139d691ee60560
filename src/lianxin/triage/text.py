"""The features of a request's Chinese text: jieba words and character n-grams.

Residents write the same thing many ways (“路灯不亮” / “灯坏了黑乎乎的” / “街灯晚上不亮”): words
catch the vocabulary, character bi- and tri-grams catch what jieba splits differently or
misses (place names, typos, dialect). No network: jieba's dictionary ships in its package.
"""

from __future__ import annotations

import logging
import re
import unicodedata
import warnings
from functools import cache

CJK = re.compile(r"[\u4e00-\u9fff]+")
WORDISH = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
# Words that say nothing about what or who: they only add noise to a small linear model.
STOP = frozenset(
    [
        "的",
        "了",
        "是",
        "在",
        "我",
        "我们",
        "你",
        "您",
        "他",
        "她",
        "它",
        "有",
        "和",
        "就",
        "都",
        "也",
        "很",
        "还",
        "又",
        "这",
        "那",
        "这个",
        "那个",
        "一个",
        "一下",
        "希望",
        "请",
        "麻烦",
        "谢谢",
        "感谢",
        "尽快",
        "帮忙",
        "一直",
        "已经",
        "现在",
        "问题",
        "反映",
        "情况",
        "没有",
        "不",
        "吗",
        "呢",
        "啊",
        "吧",
        "能",
        "能否",
        "可以",
        "什么",
        "怎么",
        "为什么",
        "哪里",
        "好几",
        "几天",
        "时候",
        "我家",
        "家里",
        "附近",
    ]
)


@cache
def _jieba():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # jieba 0.42 imports pkg_resources (deprecated)
        import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def normalize(text: str) -> str:
    """Full-width to half-width, lower case, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text or "").lower().split())


def words(text: str) -> list[str]:
    """jieba's words of ``text``, without punctuation and stop words."""
    out = []
    for w in _jieba().lcut(normalize(text)):
        w = w.strip()
        if w and w not in STOP and WORDISH.search(w):
            out.append(w)
    return out


def char_ngrams(text: str, sizes: tuple[int, ...] = (1, 2, 3)) -> list[str]:
    out = []
    for run in CJK.findall(normalize(text)):
        for n in sizes:
            out.extend(run[i : i + n] for i in range(len(run) - n + 1))
    return out


def document(text: str, place: str = "") -> str:
    """What the model reads: the kind of place (``labels.place_of``) and the text."""
    return f"{place}\t{text}"


def features(doc: str) -> list[str]:
    """The model's tokens: ``w:`` words, ``c:`` character n-grams, and the place with each word
    (``p:seat:路灯``): where a request is decides who handles it as much as what it says (a
    street light in the county seat is 城管's, in a village the village's). Module level, so a
    trained vectorizer that names it as its analyzer pickles by reference."""
    place, _tab, text = doc.rpartition("\t") if "\t" in doc else ("", "", doc)
    ws = words(text)
    out = [f"w:{w}" for w in ws] + [f"c:{g}" for g in char_ngrams(text)]
    if place:
        out.append(f"p:{place}")
        out.extend(f"p:{place}:{w}" for w in ws)
    return out


def similarity_tokens(text: str) -> set[str]:
    """The set compared between two requests for duplicates: words and bigrams."""
    return {f"w:{w}" for w in words(text)} | {f"c:{g}" for g in char_ngrams(text, (2,))}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)
