"""Debian's chromium, headless, driven through Debian's chromedriver with Selenium.

Nothing is downloaded: both paths are given, so Selenium never asks its manager for a driver or a
browser. Calls block, so async tests run them with `asyncio.to_thread` while the demo serves.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.wait import WebDriverWait

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
MISSING = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1000",
)
WAIT_SECONDS = 30
# The result pane is a CodeMirror editor: its value is the whole answer, seen or scrolled away.
RESULT = "return document.querySelector('.result-window .CodeMirror').CodeMirror.getValue();"
# The operation the query editor last parsed (GraphiQL keeps it on the CodeMirror instance).
OPERATION = (
    "return document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.operationName;"
)


@contextmanager
def chromium(profile: Path) -> Iterator[WebDriver]:
    """A fresh browser with its own profile directory (no saved GraphiQL tabs)."""
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    try:
        yield driver
    finally:
        driver.quit()


def shown_result(driver: WebDriver) -> str:
    text: str = driver.execute_script(RESULT)
    return text


def run_open_tab(driver: WebDriver) -> str:
    """Press GraphiQL's run button and wait until the result pane shows an answer."""
    wait = WebDriverWait(driver, WAIT_SECONDS)
    button = (By.CSS_SELECTOR, ".graphiql-execute-button")
    wait.until(expected_conditions.element_to_be_clickable(button)).click()
    wait.until(lambda browser: shown_result(browser).startswith("{"))
    return shown_result(driver)


def open_tab(driver: WebDriver, title: str) -> None:
    """Switch to the GraphiQL tab with this title (its operation's name), and wait until the
    editor has parsed that operation: GraphiQL does so 100 ms after a change, and a run before
    that would send the previous tab's operation name."""
    tab = f"//button[contains(@class, 'graphiql-tab-button') and normalize-space()='{title}']"
    wait = WebDriverWait(driver, WAIT_SECONDS)
    wait.until(expected_conditions.element_to_be_clickable((By.XPATH, tab))).click()
    wait.until(lambda browser: browser.execute_script(OPERATION) == title)
