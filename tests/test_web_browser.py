"""The page in a real browser: headless Chromium (Debian's, installed by .ci/run) opens `nextround web`, shows
both conversations, plays a three-line feedback rehearsal, reads the tone badges and the insights count, then opens
the plan and downloads the calendar file."""

from __future__ import annotations

import json
import re
import time

import pytest

from browser import browser_paths, make_driver, running_server, say_line, wait_for

CHROMIUM, CHROMEDRIVER = browser_paths()
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None or CHROMEDRIVER is None,
                       reason="needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver; "
                              ".ci/run installs them)"),
    # The browser, its driver and the server all talk over loopback; everything else stays blocked.
    pytest.mark.block_network(allowed_hosts=[r"127\.0\.0\.1", "localhost", "::1"]),
]
selenium = pytest.importorskip("selenium", reason="the browser test needs selenium (pip install '.[test]')")

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

#: Three lines: a warm opening, a heavily sarcastic line (flagged as sarcasm by the reader), a sincere question.
LINES = [
    "Thanks for making the time; I accept the decision and I'd value your advice on becoming a stronger candidate.",
    "Oh wonderful, so I get to wait another year while you promote your favourite. Brilliant decision, really.",
    "How did my interview answers come across to the panel?",
]


def test_a_rehearsal_in_headless_chromium(isolated_home, tmp_path, nextround):
    started = time.time()
    script = tmp_path / "lines.txt"
    script.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    expected = json.loads(nextround("feedback", "--script", str(script), "--json").output)
    expected_tones = [t["tone"] for t in expected["turns"] if t["role"] == "user"]
    assert any(f["category"] == "sarcasm" for f in expected_tones[1]["flags"]), "pick a line the reader flags"

    web_home = tmp_path / "web-home"
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    with running_server(web_home) as (url, base, token):
        driver = make_driver(downloads, tmp_path / "profile")
        try:
            driver.get(url)
            # The token moved into a cookie: the address bar no longer shows it.
            assert "token=" not in driver.current_url
            # Both conversations' entry points, each with its scenarios.
            wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "#scenario-career option"))
            for kind, heading in (("feedback", "Ask the hiring manager for feedback"),
                                  ("career", "Talk career goals with your manager")):
                card = driver.find_element(By.ID, f"start-{kind}")
                assert card.is_displayed() and heading in card.text
                names = [o.get_attribute("value") for o in card.find_elements(By.TAG_NAME, "option")]
                assert kind in names
                assert card.find_element(By.CSS_SELECTOR, "button[type=submit]").is_displayed()
            assert "Dana Okafor" in driver.find_element(By.ID, "note-feedback").text

            # By keyboard: the page puts the focus on its content, so the first Tab lands on the first control (the
            # feedback scenario), with a visible focus ring; Enter on the start button starts.
            driver.switch_to.active_element.send_keys(Keys.TAB)
            focused = driver.switch_to.active_element
            assert focused.get_attribute("id") == "scenario-feedback" and focused.is_displayed()
            assert driver.execute_script("return getComputedStyle(document.activeElement).outlineStyle") == "solid"
            driver.find_element(By.CSS_SELECTOR, "#start-feedback button[type=submit]").send_keys(Keys.ENTER)
            wait_for(lambda: driver.find_element(By.ID, "view-rehearse").is_displayed())
            wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "#transcript > li.them"))

            shown = [say_line(driver, line) for line in LINES]
            badges = [li.find_element(By.CSS_SELECTOR, ".badge").text for li in shown]
            assert badges == [f"Tone {t['score']} · {t['label']}" for t in expected_tones]
            sarcastic = shown[1]
            assert "adversarial" in badges[1]
            categories = [c.text for c in sarcastic.find_elements(By.CSS_SELECTOR, ".flag-category")]
            assert "sarcasm:" in categories
            assert sarcastic.find_elements(By.CSS_SELECTOR, ".better"), "a flagged line shows a better phrasing"
            assert not shown[0].find_elements(By.CSS_SELECTOR, ".flag-category")
            assert "null" not in driver.find_element(By.ID, "transcript").text
            found = len(expected["insights"]["unlocked"])
            total = expected["insights"]["total"]
            assert driver.find_element(By.ID, "r-insights").text == f"Insights found: {found} of {total}"
            meter = driver.find_element(By.ID, "r-candor")
            assert int(float(meter.get_attribute("value"))) == [t for t in expected["turns"]
                                                                if t["role"] == "user"][-1]["candor"]

            # The tab is closed (here: the page is loaded afresh): the session is offered again, and goes on.
            driver.get(base)
            resume = wait_for(lambda: driver.find_elements(By.CSS_SELECTOR, "#resume-list button"))[0]
            assert resume.is_displayed() and resume.text == f"Continue session 1: {expected['title']}"
            resume.click()
            wait_for(lambda: len(driver.find_elements(By.CSS_SELECTOR, "#transcript > li")) == 1 + 2 * len(LINES))
            badges_again = [b.text for b in driver.find_elements(By.CSS_SELECTOR, "#transcript .badge")]
            assert badges_again == badges
            assert driver.find_element(By.ID, "r-insights").text == f"Insights found: {found} of {total}"

            driver.find_element(By.ID, "end-button").click()
            wait_for(lambda: driver.find_element(By.ID, "view-report").is_displayed())
            assert wait_for(lambda: driver.find_element(By.CSS_SELECTOR, "#report .insights-found").text) == \
                f"{found} of {total}"

            driver.find_element(By.CSS_SELECTOR, "nav a[href='#/plan']").click()
            wait_for(lambda: "Take stock" in driver.find_element(By.ID, "plan").text)
            ics_link = driver.find_element(By.ID, "plan-ics")
            assert ics_link.is_displayed()
            ics_link.click()
            ics = wait_for(lambda: [p for p in downloads.glob("*.ics")], timeout=20)[0]
            text = wait_for(lambda: ics.read_text(encoding="utf-8") if not list(downloads.glob("*.crdownload"))
                            else "")
            assert text.startswith("BEGIN:VCALENDAR") and "BEGIN:VEVENT" in text

            # Nothing went wrong in the page: no blocked resource, no script error.
            problems = [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
            assert problems == []
        finally:
            driver.quit()
    assert time.time() - started < 120
    assert not re.search(r"token", ics.name)
