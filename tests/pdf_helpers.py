"""Reading the portal's PDFs back in tests: text (pypdf), fonts (pdffonts), a page as PNG
(pdftoppm, poppler-utils) kept under var/test-artifacts/ for a human to look at, and a
plausible ID photo to print."""

from __future__ import annotations

import io
import random
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageDraw
from pypdf import PdfReader

ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts"


def pdf_pages_text(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def pdf_text(data: bytes) -> str:
    """All text of the PDF, whitespace removed (ReportLab breaks CJK lines anywhere)."""
    return "".join("".join(text.split()) for text in pdf_pages_text(data))


def pdf_fonts(data: bytes, tmp_path: Path) -> list[list[str]]:
    """pdffonts rows (name, type, encoding, emb, sub, uni, …) of every font the PDF uses."""
    source = tmp_path / "fonts.pdf"
    source.write_bytes(data)
    out = subprocess.run(["pdffonts", str(source)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def save_png(data: bytes, name: str, *, page: int = 1, dpi: int = 100, gray: bool = False) -> Path:
    """Render one page with pdftoppm to var/test-artifacts/<name>.png (or .pgm when gray)
    and return the file's path."""
    assert shutil.which("pdftoppm"), "pdftoppm missing: apt-get install poppler-utils"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    source = ARTIFACTS / f"{name}.pdf"
    source.write_bytes(data)
    fmt = ["-gray"] if gray else ["-png"]
    subprocess.run(
        [
            "pdftoppm",
            *fmt,
            "-r",
            str(dpi),
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(source),
            str(ARTIFACTS / name),
        ],
        check=True,
    )
    return ARTIFACTS / f"{name}.{'pgm' if gray else 'png'}"


def id_photo(*, seed: int = 1, size=(295, 413), quality: int = 90) -> bytes:
    """A 1-inch ID photo look-alike (light background, head, shoulders, some noise so the JPEG
    is as large as a real camera photo, ~30–40 KB)."""
    rng = random.Random(seed)
    image = Image.new("RGB", size, (214, 230, 245))
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.ellipse((w * 0.28, h * 0.16, w * 0.72, h * 0.6), fill=(236, 200, 170))
    draw.rectangle((w * 0.12, h * 0.68, w * 0.88, h), fill=(35, 45, 80))
    pixels = image.load()
    for _ in range(w * h // 3):
        x, y = rng.randrange(w), rng.randrange(h)
        r, g, b = pixels[x, y]
        d = rng.randint(-18, 18)
        pixels[x, y] = (max(0, min(255, r + d)), max(0, min(255, g + d)), max(0, min(255, b + d)))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()
