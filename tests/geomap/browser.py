"""Helpers to open a written map in headless Chromium through Playwright.

Nothing leaves the machine: every request that is not for a ``file:`` or
``data:`` URL is aborted and recorded, so a map that still links a CDN
fails the test instead of fetching it.
"""

from __future__ import annotations

import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync",
]


def chromium() -> str | None:
    """The Chromium executable, or None when it is not installed."""
    return CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")


@dataclass
class Session:
    page: object
    errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    def map_name(self) -> str:
        """The JavaScript variable of the folium map (its div's id)."""
        return self.page.evaluate("document.querySelector('.leaflet-container').id")

    def markers(self) -> int:
        """How many circle markers are on the map now."""
        return self.page.evaluate(
            """name => { let n = 0; window[name].eachLayer(l => {
                   if (l instanceof L.CircleMarker) n += 1; }); return n; }""",
            self.map_name())

    def shaded(self) -> dict[str, int]:
        """The shaded countries now: ``{country_code: mentions}`` (the filtered counts)."""
        return self.page.evaluate(
            """name => { const out = {}; window[name].eachLayer(l => {
                   if (l.feature && l.geomapCounts && l.geomapCounts[0] > 0
                       && l.options.fillOpacity > 0.5)
                       out[l.feature.properties.country_code] = l.geomapCounts[0]; });
               return out; }""",
            self.map_name())

    def status(self) -> str:
        """The filter panel's count of places and mentions shown."""
        return self.page.locator(".geomap-filter-status").inner_text()

    def only_source(self, name: str) -> None:
        """Show only the source ``name``, through the panel's search box and buttons."""
        panel = self.page.locator(".geomap-filter-sources")
        panel.locator("button", has_text="none").click()
        panel.locator("input[type=search]").fill(name)
        panel.locator("label", has_text=name).first.locator("input").check()
        panel.locator("input[type=search]").fill("")


#: An init script that records every ``document.title`` assignment (``window.__titles``)
#: and every ``<img>`` added to the page (``window.__imgs``): what injected markup would do.
WATCH_INJECTION = """
(() => {
    const title = Object.getOwnPropertyDescriptor(Document.prototype, "title");
    window.__titles = [];
    Object.defineProperty(document, "title", {
        configurable: true,
        get() { return title.get.call(this); },
        set(v) { window.__titles.push(String(v)); title.set.call(this, v); },
    });
    window.__imgs = [];
    new MutationObserver(changes => changes.forEach(c => c.addedNodes.forEach(n => {
        if (n.nodeType !== 1) return;
        for (const img of [n, ...n.querySelectorAll("*")]) {
            if (img.tagName === "IMG") window.__imgs.push(img.outerHTML);
        }
    }))).observe(document, {childList: true, subtree: true});
})();
"""


@contextmanager
def open_map(path: Path, *, width: int = 1200, height: int = 800,
             init_script: str | None = None, wait: bool = True):
    """Open ``path`` in headless Chromium; yields a :class:`Session`.

    ``init_script`` (e.g. :data:`WATCH_INJECTION`) runs before the page's own scripts;
    ``wait=False`` does not wait for Leaflet to draw the map (a map that cannot).
    """
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="geomap-chromium-") as profile, \
            sync_playwright() as pw:
        # a fresh profile each time (Playwright passes it as --user-data-dir)
        browser = pw.chromium.launch_persistent_context(
            profile, executable_path=chromium(), args=ARGS, headless=True,
            viewport={"width": width, "height": height})
        try:
            page = browser.new_page()
            session = Session(page)

            def route(r):
                if r.request.url.startswith(("file:", "data:")):
                    r.continue_()
                else:
                    session.blocked.append(r.request.url)
                    r.abort()

            page.route("**/*", route)
            if init_script is not None:
                page.add_init_script(init_script)
            page.on("console", lambda msg: msg.type == "error"
                    and session.errors.append(msg.text))
            page.on("pageerror", lambda exc: session.errors.append(str(exc)))
            page.goto(path.resolve().as_uri())
            if wait:
                page.wait_for_selector(".leaflet-container")
            page.wait_for_load_state("load")
            yield session
        finally:
            browser.close()
