"""Peak worker memory of ``photo_clean`` for the largest photos it accepts (and the bombs it refuses).

    .venv/bin/python bench/photo_memory.py [--impl path/to/photos.py] [--only NAME ...]

Writes the test images once into bench/.var/photos (kept between runs), then cleans each one in
a fresh subprocess that has set up Django and read the upload into memory, and prints the peak
resident set size (``resource.getrusage(RUSAGE_SELF).ru_maxrss``) before and after the call:
the difference is what one upload costs a worker. ``--impl`` loads ``photo_clean`` from another
copy of photos.py (e.g. ``git show <old>:src/lianxin/core/photos.py > /tmp/old.py``) to compare
before and after a change. Linux only (ru_maxrss in KiB).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / ".var" / "photos"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def solid_png(path: Path, width: int, height: int, *, channels: int = 3) -> None:
    """A one-colour PNG written row by row: tens of megapixels in ~100 KB, never held in memory."""
    color_type = {1: 0, 3: 2, 4: 6}[channels]
    row = b"\x00" + bytes([90, 140, 200, 255][:channels]) * width
    comp = zlib.compressobj(9)
    with path.open("wb") as fh:
        fh.write(b"\x89PNG\r\n\x1a\n")
        fh.write(_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, 0)))
        idat = bytearray()
        for _ in range(height):
            idat += comp.compress(row)
        idat += comp.flush()
        fh.write(_chunk(b"IDAT", bytes(idat)))
        fh.write(_chunk(b"IEND", b""))


def photo_like(path: Path, width: int, height: int, fmt: str, **save) -> None:
    """A gradient with some texture, so the encoders do real work (still under the 8 MB cap)."""
    from PIL import Image

    small = Image.effect_noise((width // 16, height // 16), 60).convert("L")
    r = Image.linear_gradient("L").resize((width, height))
    g = small.resize((width, height), Image.Resampling.BILINEAR)
    b = Image.linear_gradient("L").rotate(90).resize((width, height))
    Image.merge("RGB", (r, g, b)).save(path, format=fmt, **save)


# name: (file name, builder, what it is)
CASES = {
    "jpeg25": (
        "jpeg25.jpg",
        lambda p: photo_like(p, 6124, 4082, "JPEG", quality=80),
        "25.0 Mpx JPEG",
    ),
    "png25": ("png25.png", lambda p: solid_png(p, 6124, 4082), "25.0 Mpx PNG RGB"),
    "png25a": ("png25a.png", lambda p: solid_png(p, 6124, 4082, channels=4), "25.0 Mpx PNG RGBA"),
    "webp25": (
        "webp25.webp",
        lambda p: photo_like(p, 6124, 4082, "WEBP", quality=70),
        "25.0 Mpx WebP",
    ),
    "webp12": (
        "webp12.webp",
        lambda p: photo_like(p, 4320, 2880, "WEBP", quality=70),
        "12.4 Mpx WebP",
    ),
    "jpeg12": (
        "jpeg12.jpg",
        lambda p: photo_like(p, 4032, 3024, "JPEG", quality=85),
        "12.2 Mpx JPEG (phone)",
    ),
    "png40": ("png40.png", lambda p: solid_png(p, 7300, 5440), "39.7 Mpx PNG RGB (the report)"),
}


def _child(path: str, impl: str | None) -> None:
    import resource

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianxin.settings")
    import django

    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    if impl:
        spec = importlib.util.spec_from_file_location("photos_impl", impl)
        module = importlib.util.module_from_spec(spec)
        sys.modules["photos_impl"] = module  # dataclasses look their module up
        spec.loader.exec_module(module)
        photo_clean = module.photo_clean
    else:
        from lianxin.core.photos import photo_clean
    upload = SimpleUploadedFile(Path(path).name, Path(path).read_bytes())
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        clean = photo_clean(upload)
        result = f"accepted {clean.width}x{clean.height}, {clean.content.size // 1024} KB"
    except ValidationError as exc:
        result = "refused: " + exc.messages[0]
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"before_kib": before, "after_kib": after, "result": result}))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--impl", help="photos.py to load photo_clean from (default: the project's)"
    )
    parser.add_argument("--only", nargs="*", choices=sorted(CASES), help="cases to run")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--build", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.impl)
        return
    if args.build:
        CASES[args.build][1](OUT / CASES[args.build][0])
        return
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"{'image':34} {'file':>8} {'worker peak':>12} {'for the call':>13}  result")
    for name in args.only or CASES:
        file_name, _build, label = CASES[name]
        path = OUT / file_name
        if not path.exists():
            # built in a child too: ru_maxrss survives fork + exec, so this process stays small
            subprocess.run([sys.executable, __file__, "--build", name], check=True, cwd=ROOT)  # noqa: S603
        cmd = [sys.executable, __file__, "--child", str(path)] + (
            ["--impl", args.impl] if args.impl else []
        )
        out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)  # noqa: S603
        if out.returncode:
            sys.exit(out.stderr)
        data = json.loads(out.stdout.strip().splitlines()[-1])
        size = path.stat().st_size
        size_txt = f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"
        print(
            f"{label:34} {size_txt:>8} {data['after_kib'] / 1024:9.0f} MB {(data['after_kib'] - data['before_kib']) / 1024:10.0f} MB"
            f"  {data['result']}"
        )


if __name__ == "__main__":
    main()
