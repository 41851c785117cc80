"""Driving the page in a real browser: Debian's headless Chromium through its own chromedriver, with selenium.

Shared by tests/test_web_browser.py and scripts/web_screenshots.py. Nothing is downloaded: the driver and the
browser are the system's (Selenium Manager is never asked), and the browser is told not to reach the network on
its own (no component updates, no sync, no background networking).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMEDRIVER = ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver")


def browser_paths() -> tuple[str | None, str | None]:
    """(chromium, chromedriver), each None when it is not installed."""
    def first(candidates, name):
        for path in candidates:
            if os.path.exists(path):
                return path
        return shutil.which(name)

    return first(CHROMIUM, "chromium"), first(CHROMEDRIVER, "chromedriver")


@contextmanager
def running_server(home: Path, extra_env: dict[str, str] | None = None):
    """`nextround web --port 0 --no-open` in a subprocess with NEXTROUND_HOME=HOME; yields (url_with_token,
    base_url, token). Stopped with Ctrl-C (SIGINT) afterwards."""
    import signal

    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "NEXTROUND_"))}
    env.update(NEXTROUND_HOME=str(home), **(extra_env or {}))
    proc = subprocess.Popen([sys.executable, "-m", "nextround", "web", "--port", "0", "--no-open"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = proc.stdout.readline()
        match = re.search(r"(http://127\.0\.0\.1:\d+/)\?token=([\w-]+)", line)
        if not match:
            proc.kill()
            raise RuntimeError(f"nextround web did not print its address: {line!r} {proc.stderr.read()!r}")
        base, token = match.group(1), match.group(2)
        deadline = time.time() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}api/info?token={token}", timeout=5).close()
                break
            except urllib.error.URLError:
                if time.time() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.1)
        yield f"{base}?token={token}", base, token
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.communicate(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.communicate()


def make_driver(download_dir: Path, profile_dir: Path, width: int = 1200, height: int = 900):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, chromedriver = browser_paths()
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--disable-extensions", "--disable-default-apps", "--hide-scrollbars",
                 f"--user-data-dir={profile_dir}", f"--window-size={width},{height}"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"download.default_directory": str(download_dir),
                                              "download.prompt_for_download": False})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must never go looking for a driver
    driver = webdriver.Chrome(options=options, service=Service(executable_path=chromedriver))
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(download_dir)})
    return driver


def wait_for(condition, timeout: float = 30.0, step: float = 0.05):
    """Poll CONDITION() until it returns something truthy; that value, or an AssertionError after TIMEOUT."""
    deadline = time.time() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.time() > deadline:
            raise AssertionError(f"timed out waiting for {getattr(condition, '__name__', 'a condition')}")
        time.sleep(step)


def say_line(driver, text: str, timeout: float = 60.0):
    """Type TEXT into the page and press Enter; wait until the badge and the reply are shown. Returns the new line
    of yours (a WebElement)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    before = len(driver.find_elements(By.CSS_SELECTOR, "#transcript > li.you"))
    box = driver.find_element(By.ID, "say-text")
    box.send_keys(text)
    box.send_keys(Keys.ENTER)

    def answered():
        mine = driver.find_elements(By.CSS_SELECTOR, "#transcript > li.you")
        done = driver.find_element(By.ID, "say-button").is_enabled()
        return len(mine) > before and done and mine[-1].find_elements(By.CSS_SELECTOR, ".badge") and mine[-1]

    return wait_for(answered, timeout)
