#!/usr/bin/python3
"""Opens an HTML file in headless Chromium (Debian's `chromium`) over the DevTools protocol on a
pipe (--remote-debugging-pipe: no port, no websocket library), waits for the load event, takes a
full-page screenshot and checks: every <img> decoded (natural size > 0), no console error or
uncaught exception, no request for anything but the file itself and data: URIs, no script, and
the page height fits the content (no clipped or blank tail, no horizontal overflow).
check(html_path, screenshot_path) -> list of problems (empty: the page passes)."""
import base64
import fcntl
import json
import os
import shutil
import struct
import subprocess
import tempfile
import time

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PROBE = """JSON.stringify({
  images: Array.from(document.images).map(i => ({src: i.src.slice(0, 40), w: i.naturalWidth, h: i.naturalHeight,
                                                  complete: i.complete})),
  scripts: document.scripts.length,
  scrollHeight: document.documentElement.scrollHeight,
  scrollWidth: document.documentElement.scrollWidth,
  clientWidth: document.documentElement.clientWidth,
  bottom: Math.max(...Array.from(document.body.querySelectorAll('*')).map(e => e.getBoundingClientRect().bottom + scrollY)),
  marginBottom: parseFloat(getComputedStyle(document.body).marginBottom)
})"""


class Pipe:
    """DevTools messages: JSON objects separated by NUL bytes; we write fd 3, read fd 4 of chromium."""

    def __init__(self, proc, wfd, rfd, deadline):
        self.proc, self.w, self.r, self.deadline = proc, wfd, rfd, deadline
        self.buf, self.next_id, self.events = b"", 0, []

    def _read_one(self):
        while b"\0" not in self.buf:
            if time.monotonic() > self.deadline:
                raise TimeoutError("chromium did not answer in time")
            chunk = os.read(self.r, 1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, params=None, session=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.w, json.dumps(msg).encode() + b"\0")
        while True:
            m = self._read_one()
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            self.events.append(m)

    def wait_event(self, method):
        for e in self.events:
            if e.get("method") == method:
                return e
        while True:
            m = self._read_one()
            self.events.append(m)
            if m.get("method") == method:
                return m


def _png_size(path):
    with open(path, "rb") as fp:
        head = fp.read(24)
    return struct.unpack(">II", head[16:24])


def _launch(profile):
    to_child_r, to_child_w = os.pipe()
    from_child_r, from_child_w = os.pipe()

    def fds():  # the pipe ends may already sit on 3 or 4: move them out of the way first
        a, b = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10), fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
        os.dup2(a, 3)
        os.dup2(b, 4)

    args = [CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
            f"--user-data-dir={profile}", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--mute-audio", "--host-resolver-rules=MAP * ~NOTFOUND", "about:blank"]
    env = dict(os.environ, HOME=profile, XDG_CONFIG_HOME=profile, XDG_CACHE_HOME=profile)  # nothing outside the profile
    proc = subprocess.Popen(args, preexec_fn=fds, close_fds=False, env=env, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=open(os.path.join(profile, "chromium.log"), "w"))
    os.close(to_child_r)
    os.close(from_child_w)
    return proc, to_child_w, from_child_r


def check(html_path, screenshot_path, timeout_s=120):
    url = "file://" + os.path.abspath(html_path)
    profile = tempfile.mkdtemp(prefix="ipsecsim-chromium-")
    proc, wfd, rfd = _launch(profile)
    problems = []
    try:
        cdp = Pipe(proc, wfd, rfd, time.monotonic() + timeout_s)
        target = cdp.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        s = cdp.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            cdp.call(f"{domain}.enable", session=s)
        cdp.call("Emulation.setDeviceMetricsOverride", {"width": 1200, "height": 900, "deviceScaleFactor": 1,
                                                        "mobile": False}, session=s)
        cdp.call("Page.navigate", {"url": url}, session=s)
        cdp.wait_event("Page.loadEventFired")
        probe = json.loads(cdp.call("Runtime.evaluate", {"expression": PROBE, "returnByValue": True},
                                    session=s)["result"]["value"])
        metrics = cdp.call("Page.getLayoutMetrics", session=s)["cssContentSize"]
        width, height = int(metrics["width"]), int(metrics["height"])
        shot = cdp.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                                   "clip": {"x": 0, "y": 0, "width": width, "height": height,
                                                            "scale": 1}}, session=s)
        with open(screenshot_path, "wb") as fp:
            fp.write(base64.b64decode(shot["data"]))
        events = cdp.events
    finally:
        try:
            os.close(wfd)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            os.close(rfd)
            shutil.rmtree(profile, ignore_errors=True)
    for e in events:
        m, p = e.get("method"), e.get("params", {})
        if m == "Network.requestWillBeSent":
            u = p["request"]["url"]
            if u != url and not u.startswith("data:"):
                problems.append(f"request leaves the file: {u[:120]}")
        elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            problems.append("console error: " + " ".join(str(a.get("value", a.get("description", ""))) for a in p["args"]))
        elif m == "Runtime.exceptionThrown":
            problems.append("uncaught exception: " + p["exceptionDetails"].get("text", ""))
        elif m == "Log.entryAdded" and p["entry"].get("level") == "error":
            problems.append("console error: " + p["entry"].get("text", "")[:160])
    for i, img in enumerate(probe["images"]):
        if not (img["complete"] and img["w"] > 0 and img["h"] > 0):
            problems.append(f"image {i} not decoded ({img['src']}...: {img['w']}x{img['h']})")
    if not probe["images"]:
        problems.append("no image on the page")
    if probe["scripts"]:
        problems.append(f"{probe['scripts']} script element(s): the page must work without scripts")
    tail = probe["scrollHeight"] - probe["bottom"]
    if probe["bottom"] > probe["scrollHeight"] + 1 or tail > probe["marginBottom"] + 24:
        problems.append(f"page height {probe['scrollHeight']} px does not fit its content (ends at {probe['bottom']:.0f} px)")
    if probe["scrollWidth"] > probe["clientWidth"]:
        problems.append(f"page wider than the window: {probe['scrollWidth']} > {probe['clientWidth']} px")
    if _png_size(screenshot_path) != (width, height) or height != probe["scrollHeight"]:
        problems.append(f"screenshot {_png_size(screenshot_path)} is not the whole page ({width}x{probe['scrollHeight']})")
    return problems
