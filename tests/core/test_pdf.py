"""The PDF renderer: WeasyPrint loaded without changing how the rest of the process reads images."""

from __future__ import annotations

import pytest
from PIL import ImageFile

from lianxin.core.pdf import html_to_pdf


def test_building_a_pdf_leaves_pillows_truncated_image_switch_off(monkeypatch):
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", False)
    pdf = html_to_pdf("<p>月度简报</p>")
    assert pdf.startswith(b"%PDF")
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_the_renderer_fetches_no_url():
    # an <img> pointing anywhere is refused by the fetcher; the PDF still builds, without it
    pdf = html_to_pdf('<p>标题</p><img src="http://127.0.0.1:9/x.png">')
    assert pdf.startswith(b"%PDF")
    assert b"127.0.0.1" not in pdf


@pytest.mark.parametrize("flag", [True, False])
def test_the_switch_is_restored_to_what_it_was(monkeypatch, flag):
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", flag)
    html_to_pdf("<p>x</p>")
    assert ImageFile.LOAD_TRUNCATED_IMAGES is flag
