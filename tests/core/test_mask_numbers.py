"""Free text shown to someone other than its writer: long digit runs (phones, IDs) masked."""

from __future__ import annotations

import pytest

from lianxin.core.masking import mask_numbers


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("王大妈 13812345678 家门口", "王大妈 138****5678 家门口"),
        ("身份证620524195001010021丢了", "身份证6205**********0021丢了"),
        ("尾号X的62052419500101002X", "尾号X的6205**********002X"),
        ("3号楼2单元路灯坏了", "3号楼2单元路灯坏了"),
        ("电话1381234", "电话138****"),
        ("2026年12月", "2026年12月"),
        ("", ""),
        (None, ""),
    ],
)
def test_long_numbers_are_masked_and_short_ones_kept(text, shown):
    assert mask_numbers(text) == shown
