"""Chinese text search that finds two-character words (路灯, 供暖).

FTS5's trigram tokenizer and pg_trgm cannot match two characters and jieba splits 路灯不亮
as 路/灯不亮, so we index overlapping character bigrams: "路灯不亮" -> 路灯 灯不 不亮.
A query matches when every one of its bigrams is present. Latin words and digit runs
are kept whole (lower-cased). The token column is space-padded so one token is a
``LIKE '% 路灯 %'`` on SQLite; PostgreSQL searches a GIN-indexed tsvector of it.
"""

from __future__ import annotations

import re

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN = re.compile(rf"[{_CJK}]+|[0-9A-Za-z]+")
_IS_CJK = re.compile(rf"[{_CJK}]")


def tokens(text: str) -> list[str]:
    """Distinct search tokens of ``text`` in first-seen order."""
    out: dict[str, None] = {}
    for run in _RUN.findall(text or ""):
        if _IS_CJK.match(run):
            if len(run) == 1:
                out[run] = None
            else:
                for i in range(len(run) - 1):
                    out[run[i : i + 2]] = None
        else:
            out[run.lower()] = None
    return list(out)


def index_text(*parts: str) -> str:
    """The stored column: every bigram of every part, space-separated and space-padded.

    Single characters are added too, so a one-character query (灯) still finds its rows.
    """
    toks: dict[str, None] = {}
    for part in parts:
        for t in tokens(part):
            toks[t] = None
        for ch in _IS_CJK.findall(part or ""):
            toks[ch] = None
    return " " + " ".join(toks) + " " if toks else ""


def query_tokens(query: str) -> list[str]:
    return tokens(query)[:12]
