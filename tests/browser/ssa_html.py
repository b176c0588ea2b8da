#!/usr/bin/env python3
"""The browser test of `toyc build --ssa-html`: opens the pages toyc writes in headless
Chromium and uses them as a person would.

It talks to chromedriver over the W3C WebDriver protocol with nothing but the standard
library. On the page of `fib` (examples/fib.toy) it clicks a value and a block and checks
that every mention of them, in every column, is highlighted, and that a second click clears
them; folds a column to a narrow strip and back; draws a control-flow graph. On the page of
the largest function of the run corpus it measures the time from navigation to the page's
script having run and laid the page out (`window.toycReadyMs`), prints it, and requires it
under a second.

Usage: tests/browser/ssa_html.py [--toyc TOYC] [--screenshots DIR]
  TOYC defaults to target/debug/toyc (from `cargo build`); with --screenshots, the pages are
  also captured at 1366x768 into DIR. Needs `chromium` and `chromedriver` (Debian's
  chromium and chromium-driver packages); exits with status 2 when they are missing.
"""

import argparse
import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# The function with the most SSA values of tests/data/run (625 after construction, 10,559
# over all passes), found by counting the value lines of `toyc build --ssa NAME` for every
# function of every file.
LARGEST = ("tests/data/run/fmt_bool_operands_evaluated_in_order.toy", "main")
LOAD_LIMIT_MS = 1000.0
WIDTH, HEIGHT = 1366, 768
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"


def fail(message):
    print(f"ssa_html.py: FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Driver:
    """One chromedriver process and one browser session on it."""

    def __init__(self, chromium, chromedriver, profile):
        self.port = free_port()
        self.process = subprocess.Popen(
            [chromedriver, f"--port={self.port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                self.request("GET", "/status")
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline:
                    self.process.kill()
                    fail("chromedriver did not start")
                time.sleep(0.1)
        args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            f"--window-size={WIDTH},{HEIGHT}",
            f"--user-data-dir={profile}",
        ]
        caps = {
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    "goog:chromeOptions": {"binary": chromium, "args": args},
                }
            }
        }
        self.session = self.request("POST", "/session", caps)["sessionId"]

    def request(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            self.base + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(req, timeout=60) as response:
                return json.load(response)["value"]
        except urllib.error.HTTPError as error:
            fail(f"{method} {path}: {error.read().decode(errors='replace')}")

    def call(self, method, path, body=None):
        return self.request(method, f"/session/{self.session}{path}", body)

    def open(self, path):
        self.call("POST", "/url", {"url": "file://" + path})
        deadline = time.monotonic() + 30
        while not self.js("return document.body && document.body.dataset.ready === 'true'"):
            check(time.monotonic() < deadline, f"{path} never became ready")
            time.sleep(0.05)

    def js(self, script, *args):
        return self.call("POST", "/execute/sync", {"script": script, "args": list(args)})

    def click(self, selector):
        found = self.call("POST", "/element", {"using": "css selector", "value": selector})
        check(isinstance(found, dict) and ELEMENT in found, f"no element {selector}: {found}")
        self.call("POST", f"/element/{found[ELEMENT]}/click", {})

    def screenshot(self, path):
        with open(path, "wb") as out:
            out.write(base64.b64decode(self.call("GET", "/screenshot")))

    def close(self):
        try:
            self.request("DELETE", f"/session/{self.session}")
        finally:
            self.process.terminate()
            self.process.wait(timeout=20)


def build_page(toyc, work, source, name):
    """Builds `source` with `--ssa-html name` into `work`; returns the page's path."""
    stem = os.path.splitext(os.path.basename(source))[0]
    page = os.path.join(work, f"{stem}.{name}.html")
    ran = subprocess.run(
        [toyc, "build", "-o", os.path.join(work, stem), "--ssa-html", name,
         "--ssa-html-out", page, source],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    check(ran.returncode == 0, f"toyc failed on {source}: {ran.stderr}")
    check(ran.stdout == f"dumped SSA for {name} to {page}\n", f"toyc said {ran.stdout!r}")
    return page


# Per column, how many elements of class `ref` it holds and how many of them are
# highlighted, and how many of them are its definition.
MENTIONS = """
const ref = arguments[0];
return Array.from(document.querySelectorAll('.column')).map((column) => {
  const els = Array.from(column.getElementsByClassName(ref));
  return {
    title: column.querySelector('.title').textContent,
    total: els.length,
    lit: els.filter((el) => Array.from(el.classList).some((c) => /^hl\\d$/.test(c))).length,
    defs: els.filter((el) => el.classList.contains('def')).length,
  };
});
"""


def test_highlight(driver, ref, selector):
    """Clicks `selector`, an element of `ref`: every mention of `ref` in every column must
    light up, and a second click must clear them all."""
    driver.click(selector)
    columns = driver.js(MENTIONS, ref)
    holding = [c for c in columns if c["total"] > 0]
    check(len(holding) >= 3, f"{ref} is in only {len(holding)} columns")
    for column in holding:
        check(column["lit"] == column["total"],
              f"{ref}: {column['lit']} of {column['total']} lit in {column['title']}")
        check(column["defs"] == 1, f"{ref}: {column['defs']} definitions in {column['title']}")
    driver.click(selector)
    for column in driver.js(MENTIONS, ref):
        check(column["lit"] == 0, f"{ref}: still lit in {column['title']} after a second click")
    print(f"ssa_html.py: clicking {ref} highlights it in {len(holding)} columns")


def test_fold(driver):
    """Folds the third column (a pass) by its title and unfolds it."""
    width = "return document.querySelectorAll('.column')[2].getBoundingClientRect().width"
    before = driver.js(width)
    driver.click(".column:nth-child(3) .title")
    folded = driver.js(width)
    check(driver.js("return document.querySelectorAll('.column')[2].classList.contains('folded')"),
          "the column did not fold")
    check(folded < 40 < before, f"a folded column is {folded}px wide (was {before}px)")
    driver.click(".column:nth-child(3) .title")
    check(driver.js(width) == before, "the column did not unfold to its width")
    print(f"ssa_html.py: folding a column narrows it from {before:.0f}px to {folded:.0f}px")


def test_graph(driver):
    """Draws the control-flow graph of the last pass column: a box per block."""
    column = "document.querySelector('.column.pass:nth-last-child(2)')"
    driver.click(".column.pass:nth-last-child(2) button.cfg")
    counts = driver.js(f"const c = {column}; return [c.querySelectorAll('svg.graph .node').length,"
                       " c.querySelectorAll('.b.def').length]")
    check(counts[0] == counts[1] and counts[0] > 1, f"the graph has {counts[0]} of {counts[1]} blocks")
    print(f"ssa_html.py: the control-flow graph shows {counts[0]} blocks")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--toyc", default=os.path.join(ROOT, "target/debug/toyc"))
    parser.add_argument("--screenshots")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    chromedriver = shutil.which("chromedriver")
    if not chromium or not chromedriver:
        print("ssa_html.py: chromium and chromedriver are needed (apt-get install chromium "
              "chromium-driver)", file=sys.stderr)
        sys.exit(2)
    toyc = os.path.abspath(args.toyc)
    check(os.access(toyc, os.X_OK), f"no toyc at {toyc}; build it with cargo build")
    with tempfile.TemporaryDirectory() as work:
        fib = build_page(toyc, work, "examples/fib.toy", "fib")
        primes = build_page(toyc, work, "examples/primes.toy", "isPrime")
        largest = build_page(toyc, work, *LARGEST)
        driver = Driver(chromium, chromedriver, os.path.join(work, "profile"))
        try:
            driver.open(fib)
            check(driver.js("return document.querySelectorAll('pre .changed').length") > 0,
                  "no line is marked as changed")
            # The first value the pass after construction defines, and its first block.
            test_highlight(driver, "v0", ".column.pass:nth-child(3) .v0.def")
            test_highlight(driver, "b1", ".column.pass:nth-child(3) .b1.def")
            test_fold(driver)
            test_graph(driver)
            if args.screenshots:
                os.makedirs(args.screenshots, exist_ok=True)
                driver.open(primes)
                driver.click(".column.pass:nth-child(3) .v2.def")
                driver.click(".column.pass:nth-child(2) .title")
                driver.click(".column.pass:nth-child(4) .title")
                driver.click(".column.pass:nth-child(5) button.cfg")
                driver.screenshot(os.path.join(args.screenshots, "primes.png"))
            driver.open(largest)
            ready = driver.js("return window.toycReadyMs")
            size = os.path.getsize(largest)
            print(f"ssa_html.py: the page of {LARGEST[1]} in {LARGEST[0]} ({size // 1024} KiB) "
                  f"is ready {ready:.0f} ms after navigation")
            check(ready < LOAD_LIMIT_MS, f"the page took {ready:.0f} ms, over {LOAD_LIMIT_MS:.0f}")
            if args.screenshots:
                driver.screenshot(os.path.join(args.screenshots, "largest.png"))
        finally:
            driver.close()
    print("ssa_html.py: ok")


if __name__ == "__main__":
    main()
