#!/usr/bin/env python3
"""Vigil's web app in headless Chromium, against a running `vigil demo --hostile-data`.

Checks, on every page: it loads, every panel shows data, the console shows no errors, no dialog opens,
no element or handler came from event data; saves a screenshot of each page; signs in with the keyboard
alone; clicks a map country and lands on a filtered search. Exits non-zero on any failure, listing them.

Usage: web_browser_test.py --vigil PATH [--output DIR]
"""
import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

PAGES = [
    ("overview", "/d/overview?last=30d"),
    ("signins", "/d/signins?last=30d"),
    ("failed-signins", "/d/failed-signins?last=30d"),
    ("map", "/d/map?last=30d"),
    ("item-usage", "/d/item-usage?last=30d"),
    ("audit", "/d/audit?last=30d"),
    ("threat-intel", "/d/threat-intel?last=30d"),
    ("search", "/search?q=signin+outcome%3Afailure&last=30d"),
    ("search-hostile", "/search?q=vigil-xss&last=30d"),
    ("search-chart", "/search?q=%7C+top+10+user&last=30d"),
    ("alerts", "/alerts"),
    ("health", "/health"),
]

# Panels the demo's data cannot fill: (dashboard, panel id) with the reason.
MAY_BE_EMPTY = {
    ("audit", "service-accounts"): "the demo creates a service account only in one scenario",
    ("item-usage", "threats"): "the demo's feeds list attack addresses, which sign in but never use items",
    ("audit", "risky-locations"): "the demo's feeds list attack addresses, which never administer the account",
}

failures = []


def fail(message):
    failures.append(message)
    print("FAIL:", message, flush=True)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_demo(vigil, directory):
    api_port, web_port = free_port(), free_port()
    log = open(os.path.join(directory, "demo.log"), "w+")
    process = subprocess.Popen(
        [vigil, "demo", "--directory", os.path.join(directory, "demo"), "--port", str(api_port),
         "--web-port", str(web_port), "--hostile-data"],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.time() + 600
    url = password = None
    while time.time() < deadline:
        log.seek(0)
        text = log.read()
        match = re.search(r"Web app: (http://127\.0\.0\.1:\d+)/\s+\(user: demo, password: ([0-9a-f]+);", text)
        token = re.search(r"Authorization: Bearer (vgl_[0-9a-f]+)", text)
        if match and token:
            url, password = match.group(1), match.group(2)
        if url and "Backfill complete" in text:
            return process, url, password, token.group(1)
        if process.poll() is not None:
            raise SystemExit("vigil demo exited early:\n" + text)
        time.sleep(1)
    raise SystemExit("vigil demo did not finish its backfill in 10 minutes")


def browser():
    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1200",
                     "--disable-dev-shm-usage"]:
        options.add_argument(argument)
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    return webdriver.Chrome(service=Service(driver_path), options=options)


def no_dialog(driver, where):
    try:
        alert = driver.switch_to.alert
        fail(f"{where}: a dialog opened: {alert.text!r}")
        alert.dismiss()
    except NoAlertPresentException:
        pass


def console_errors(driver, where):
    for entry in driver.get_log("browser"):
        if entry.get("level") == "SEVERE":
            fail(f"{where}: console error: {entry.get('message')}")


INERT_CHECK = """
const injected = [];
document.querySelectorAll('script').forEach(s => { if (s.getAttribute('src') !== '/static/vigil.js') injected.push('script'); });
if (document.querySelectorAll('img, iframe, object, embed').length) injected.push('img/iframe/object/embed');
for (const element of document.querySelectorAll('*')) {
  for (const attribute of element.attributes) {
    if (attribute.name.toLowerCase().startsWith('on')) injected.push(element.tagName + '[' + attribute.name + ']');
    if ((attribute.name === 'href' || attribute.name === 'src' || attribute.name === 'action')
        && /^\\s*javascript:/i.test(attribute.value)) injected.push(element.tagName + ' javascript: URL');
  }
}
return injected;
"""

PANELS_CHECK = """
return Array.from(document.querySelectorAll('section.panel')).map(section => ({
  id: section.id,
  problem: section.querySelector('.problem') ? section.querySelector('.problem').textContent : null,
  empty: !!section.querySelector('.empty, svg .empty'),
  shapes: section.querySelectorAll('svg rect, svg path, svg circle, table tbody tr, svg text.big').length,
}));
"""


def check_page(driver, base, name, path, output):
    driver.get(base + path)
    where = f"{name} ({path})"
    no_dialog(driver, where)
    if "/login" in driver.current_url:
        fail(f"{where}: sent to the login page")
        return
    injected = driver.execute_script(INERT_CHECK)
    if injected:
        fail(f"{where}: elements from data: {sorted(set(injected))}")
    if path.startswith("/d/"):
        dashboard = path.split("/")[2].split("?")[0]
        for panel in driver.execute_script(PANELS_CHECK):
            panel_id = re.sub(r"^p\d+-", "", panel["id"])
            if panel["problem"]:
                fail(f"{where}: panel {panel_id}: {panel['problem']}")
            elif (panel["empty"] or panel["shapes"] == 0) and (dashboard, panel_id) not in MAY_BE_EMPTY:
                fail(f"{where}: panel {panel_id} shows no data")
    driver.save_screenshot(os.path.join(output, f"{name}.png"))
    console_errors(driver, where)


def check_api(base, token, output):
    """Schemathesis against docs/openapi.yaml: every operation, valid and invalid inputs, every check."""
    spec = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "openapi.yaml")
    command = [sys.executable, "-m", "schemathesis.cli", "run", spec, "--url", base,
               "-H", f"Authorization: Bearer {token}", "--max-examples", "40", "--request-timeout", "60",
               "--generation-deterministic", "--no-color"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=1200)
    with open(os.path.join(output, "schemathesis.txt"), "w") as report:
        report.write(result.stdout + result.stderr)
    summary = [line for line in result.stdout.splitlines() if "generated" in line or "failures" in line]
    print("schemathesis:", " / ".join(summary[-2:]), flush=True)
    if result.returncode != 0:
        fail(f"schemathesis found problems (exit {result.returncode}); see {output}/schemathesis.txt")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--vigil", required=True)
    parser.add_argument("--output", default=".build/test-output/browser")
    arguments = parser.parse_args()
    os.makedirs(arguments.output, exist_ok=True)
    directory = tempfile.mkdtemp(prefix="vigil-browser-")
    process, base, password, token = start_demo(os.path.abspath(arguments.vigil), directory)
    driver = None
    try:
        driver = browser()
        # Sign in with the keyboard alone: the name field has focus, Tab moves on, Enter submits.
        driver.get(base + "/d/overview?last=30d")
        if "/login" not in driver.current_url:
            fail("the overview answered without signing in")
        active = driver.switch_to.active_element
        if active.get_attribute("name") != "name":
            fail(f"the login page does not start in the name field (focus: {active.get_attribute('name')})")
        active.send_keys("demo")
        active.send_keys(Keys.TAB)
        driver.switch_to.active_element.send_keys(password)
        driver.switch_to.active_element.send_keys(Keys.ENTER)
        time.sleep(1)
        if "/d/overview" not in driver.current_url:
            fail(f"keyboard sign-in did not land on the overview: {driver.current_url}")
            return
        driver.save_screenshot(os.path.join(arguments.output, "after-login.png"))
        # An alert's detail page too.
        driver.get(base + "/alerts")
        links = driver.find_elements(By.CSS_SELECTOR, "main table a[href^='/alerts/']")
        pages = list(PAGES)
        if links:
            pages.append(("alert", urllib.parse.urlparse(links[0].get_attribute("href")).path))
        else:
            fail("the alerts page lists no alerts after the demo's backfill")
        for name, path in pages:
            check_page(driver, base, name, path, arguments.output)
        # The hostile strings are there, as text.
        driver.get(base + "/search?q=vigil-xss&last=30d")
        if "alert('vigil-xss-1')" not in driver.find_element(By.TAG_NAME, "main").text:
            fail("the hostile events are not shown as text on the search page")
        # A map country leads to a filtered search.
        driver.get(base + "/d/map?last=30d")
        countries = driver.find_elements(By.CSS_SELECTOR, "svg.chart-map a")
        if not countries:
            fail("the map has no clickable country")
        else:
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", countries[0])
            webdriver.ActionChains(driver).move_to_element(countries[0].find_element(By.CSS_SELECTOR, "path")).click().perform()
            time.sleep(1)
            parsed = urllib.parse.urlparse(driver.current_url)
            query = urllib.parse.parse_qs(parsed.query).get("q", [""])[0]
            if parsed.path != "/search" or "geo.country_code" not in query:
                fail(f"a map click landed on {driver.current_url}")
            else:
                driver.save_screenshot(os.path.join(arguments.output, "map-click.png"))
                if not driver.find_elements(By.CSS_SELECTOR, "main table tbody tr"):
                    fail("the search a map click opened shows no events")
        console_errors(driver, "after the map click")
        check_api(base, token, arguments.output)
    finally:
        if driver:
            driver.quit()
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        shutil.rmtree(directory, ignore_errors=True)
    if failures:
        print(f"\n{len(failures)} browser check(s) failed; screenshots in {arguments.output}")
        sys.exit(1)
    print(f"browser checks passed: {len(PAGES) + 1} pages, keyboard sign-in, map drill-down; screenshots in {arguments.output}")


if __name__ == "__main__":
    main()
