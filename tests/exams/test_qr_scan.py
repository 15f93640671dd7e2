"""static/js/qr-scan.js in Chromium with a fake camera that films a printed ticket's QR code:
the code is read, put in the input and the form submitted; the camera stops. Without a
secure context (plain HTTP on a real host name) the page says the camera needs HTTPS.

The page is served by Playwright's request routing (no Django server needed): the markup the
check-in page is to use, the vendored jsQR and qr-scan.js from static/."""

from pathlib import Path
from urllib.parse import parse_qs

import pytest
import segno
from django.conf import settings
from PIL import Image

from exams.tokens import read_ticket_token, ticket_token
from tests.conftest import CHROMIUM

pytestmark = pytest.mark.browser

STATIC = Path(settings.BASE_DIR) / "static"
PAGE = """<!doctype html><html lang="zh-hans"><head><meta charset="utf-8"><title>签到</title></head><body>
<form method="post" action="/checkin" data-qr-scanner>
  <video data-qr-video hidden width="320"></video>
  <input name="code" data-qr-target>
  <button type="button" data-qr-start data-msg-scanning="scanning">扫码签到</button>
  <div data-qr-message role="status"></div>
</form>
<script src="/static/vendor/jsqr/jsQR.js"></script>
<script src="/static/js/qr-scan.js"></script>
</body></html>"""


def fake_camera_video(path: Path, payload: str, *, width=640, height=480, frames=6) -> Path:
    """A Y4M clip (what Chromium's fake camera plays) of the QR code on white paper."""
    qr = segno.make(payload, error="m", micro=False, boost_error=False)
    side = 360
    code = Image.new("L", (width, height), 255)
    matrix = [list(row) for row in qr.matrix_iter(scale=1, border=4)]
    module = side // len(matrix)
    image = Image.new("L", (len(matrix), len(matrix)), 255)
    image.putdata([0 if dark else 255 for row in matrix for dark in row])
    image = image.resize((module * len(matrix),) * 2, Image.NEAREST)
    code.paste(image, ((width - image.width) // 2, (height - image.height) // 2))
    luma = code.tobytes()
    chroma = bytes([128]) * (width // 2 * height // 2)
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(b"FRAME\n" + luma + chroma + chroma)
    return path


def serve(page, origin: str, posted: list):
    def handle(route):
        url = route.request.url
        if url.startswith(origin + "/static/"):
            route.fulfill(path=str(STATIC / url[len(origin + "/static/") :]), content_type="text/javascript")
        elif url == origin + "/checkin":
            posted.append(parse_qs(route.request.post_data or ""))
            route.fulfill(body="<p id=done>ok</p>", content_type="text/html; charset=utf-8")
        else:
            route.fulfill(body=PAGE, content_type="text/html; charset=utf-8")

    page.route(origin + "/**", handle)


def launch(playwright, *extra):
    return playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", *extra],
    )


def test_scanning_a_ticket_fills_the_input_and_submits(needs_chromium, playwright, tmp_path):
    token = ticket_token(announcement_id=12, ticket_number="10101010203")
    clip = fake_camera_video(tmp_path / "qr.y4m", token)
    browser = launch(
        playwright,
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={clip}",
    )
    try:
        context = browser.new_context(viewport={"width": 390, "height": 844})
        context.grant_permissions(["camera"], origin="http://localhost:8199")
        page = context.new_page()
        posted = []
        serve(page, "http://localhost:8199", posted)
        page.goto("http://localhost:8199/checkin-page")
        page.get_by_role("button", name="扫码签到").click()
        page.wait_for_selector("#done", timeout=20_000)
        assert len(posted) == 1
        assert read_ticket_token(posted[0]["code"][0]) == (12, "10101010203")
    finally:
        browser.close()


def test_without_https_the_page_says_the_camera_needs_it(needs_chromium, playwright):
    browser = launch(playwright)
    try:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        posted = []
        serve(page, "http://checkin.example.cn", posted)
        page.goto("http://checkin.example.cn/checkin-page")
        page.get_by_role("button", name="扫码签到").click()
        status = page.get_by_role("status")
        assert "HTTPS" in status.inner_text()
        assert "请直接输入准考证号" in status.inner_text()
        assert page.locator("video").is_hidden()
        assert posted == []
    finally:
        browser.close()


def test_without_a_camera_the_page_says_so_and_typing_still_works(needs_chromium, playwright):
    browser = launch(playwright, "--use-fake-ui-for-media-stream")  # no fake device: none at all
    try:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        posted = []
        serve(page, "http://localhost:8198", posted)
        page.goto("http://localhost:8198/checkin-page")
        page.get_by_role("button", name="扫码签到").click()
        status = page.get_by_role("status")
        status.filter(has_text="直接输入准考证号").wait_for(timeout=10_000)
        assert page.get_by_role("button", name="扫码签到").is_enabled()
        page.locator("input[name=code]").fill("10101010203")
        page.locator("input[name=code]").press("Enter")
        page.wait_for_selector("#done")
        assert posted == [{"code": ["10101010203"]}]
    finally:
        browser.close()
