"""Screenshots of the page for the README, taken by the same headless Chromium the browser test drives.

    python scripts/web_screenshots.py            # writes docs/web-*.png

Runs `nextround web` on a fresh, temporary NEXTROUND_HOME, plays a few practice sessions offline (so the history
chart has something to show), then photographs: the first page, a rehearsal with its tone badges, the report, the
history, the plan, and a rehearsal at phone width.
"""

from __future__ import annotations

import json
import sys
import tempfile
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "src"))

from browser import browser_paths, make_driver, running_server, say_line, wait_for  # noqa: E402

DOCS = REPO / "docs"
#: Earlier practice, played through the API, so the history shows progress.
EARLIER = [
    ("feedback", ["Why did you pick him over me? I had more experience.",
                  "Honestly, I think I was the obvious choice for this role.",
                  "How did my interview answers come across?"]),
    ("career", ["Thanks for the time. I'd like to talk about where I could grow here.",
                "What could I take on to get more visibility?",
                "Thank you, that helps."]),
]
REHEARSAL = [
    "Thanks for making the time; I accept the decision and I'd value your advice on becoming a stronger candidate.",
    "Oh wonderful, so I get to wait another year while you promote your favourite. Brilliant decision, really.",
    "How did my interview answers come across to the panel?",
    "Could you say a bit more about that?",
    "What did the person you chose bring that made the difference?",
]
PHONE_LINES = [
    "Thanks for making time for this. I'd like your help working out how to grow here.",
    "To be honest, this whole process was unfair and everyone knows it.",
]


def post(base: str, token: str, path: str, body: dict | None = None) -> bytes:
    request = urllib.request.Request(base.rstrip("/") + path, data=json.dumps(body or {}).encode(), method="POST",
                                     headers={"X-Nextround-Token": token, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read()


def play_through_api(base: str, token: str, scenario: str, lines: list[str]) -> None:
    session_id = json.loads(post(base, token, "/api/sessions", {"scenario": scenario}))["session_id"]
    for line in lines:
        post(base, token, f"/api/sessions/{session_id}/say", {"text": line})
    post(base, token, f"/api/sessions/{session_id}/end")


def photograph(driver, name: str, width: int, max_height: int = 2600, top: str | None = None) -> None:
    """The whole page (up to MAX_HEIGHT) at WIDTH, or from the element TOP down."""
    driver.set_window_size(width, 900)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(max(height, 600), max_height))
    driver.execute_script("window.scrollTo(0, 0); document.activeElement && document.activeElement.blur();")
    if top:
        driver.execute_script(f"document.querySelector({top!r}).scrollIntoView();")
    path = DOCS / f"web-{name}.png"
    driver.save_screenshot(str(path))
    print(f"wrote {path.relative_to(REPO)}")


def main() -> int:
    from selenium.webdriver.common.by import By

    if None in browser_paths():
        print("needs chromium and chromium-driver (apt-get install chromium chromium-driver)", file=sys.stderr)
        return 1
    DOCS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        with running_server(scratch / "home") as (url, base, token):
            for scenario, lines in EARLIER:
                play_through_api(base, token, scenario, lines)
            driver = make_driver(scratch / "downloads", scratch / "profile")
            try:
                driver.get(url)
                wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "#scenario-career option"))
                photograph(driver, "choose", 1100)

                driver.find_element(By.CSS_SELECTOR, "#start-feedback button[type=submit]").click()
                wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "#transcript > li.them"))
                for line in REHEARSAL:
                    say_line(driver, line)
                photograph(driver, "rehearse", 1100)

                driver.find_element(By.ID, "end-button").click()
                wait_for(lambda: driver.find_element(By.ID, "view-report").is_displayed())
                photograph(driver, "report", 1100)

                driver.get(base + "#/history")
                wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "#history-chart svg"))
                photograph(driver, "history", 1100)

                driver.get(base + "#/plan")
                wait_for(lambda: "Take stock" in driver.find_element(By.ID, "plan").text)
                photograph(driver, "plan", 1100, max_height=1800)

                driver.get(base + "#/")
                wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "#scenario-career option"))
                driver.set_window_size(390, 844)
                driver.find_element(By.CSS_SELECTOR, "#start-career button[type=submit]").click()
                # A new transcript: only the opening line (the last one is still on the page until it starts).
                wait_for(lambda: len(driver.find_elements(By.CSS_SELECTOR, "#transcript > li")) == 1)
                for line in PHONE_LINES:
                    say_line(driver, line)
                photograph(driver, "phone", 390, max_height=2400)
            finally:
                driver.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
