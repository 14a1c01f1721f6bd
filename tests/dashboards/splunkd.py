"""A splunkd stand-in for the browser tests: the search-job REST endpoints that Dashboard Studio's `ds.search` and
`ds.chain` call, answered by the embedded engine over the dashboards' test events, plus the harness page.

Only what the framework's SearchJob uses: POST search/jobs (dispatch, 201 {sid}; a search the engine rejects gets
Splunk's 400 with a FATAL message), GET search/jobs?id=... (batch status, always DONE: the engine runs at dispatch),
search/v2/jobs/<sid>/results[_preview] with output_mode=json_cols, where `search=` is a chain's post-process
query run over its base search's results as Splunk does (the base job's rows, in their order, piped into it; the
base is not searched again). Values are strings as in Splunk's JSON,
`_time` rendered as Splunk returns it (ISO 8601 with milliseconds and UTC offset). Also the time picker's presets
(data/ui/times), timeparser, the user context, and the app's static files (the offline map tiles) under
/static/app/aws_cryptomining/. Binds 127.0.0.1 only.
"""
from __future__ import annotations

import json
import threading
import time
import urllib.parse
from bisect import bisect_right
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from splengine.errors import SplError
from splengine.timemod import parse_time_modifier
from splengine.values import to_str

from .row_cache import RowCache

HARNESS_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>{title}</title>
<style>html,body{{margin:0;padding:0}}</style><link rel="stylesheet" href="/static/harness.css">
<script>window.$C = {{SPLUNKD_PATH: "/splunkd/__raw", LOCALE: "en-US", MRSPARKLE_ROOT_PATH: "",
  SERVER_ZONEINFO: "### SERIALIZED TIMEZONE FORMAT 1.0;Y0 NW 55 54 43;$"}}; window.__viewTheme = "{theme}";</script></head>
<body><div id="root"></div><script src="/static/harness.js"></script></body></html>
"""


# Time range presets of Splunk's default times.conf that the time picker lists (data/ui/times).
TIME_PRESETS = [("Last 60 minutes", "-60m@m", 20), ("Last 4 hours", "-4h@m", 30), ("Last 24 hours", "-24h@h", 40),
                ("Last 7 days", "-7d@h", 50), ("Last 30 days", "-30d@h", 60)]


def splunk_time(epoch: float) -> str:
    """`_time` as Splunk's REST API returns it in UTC: 2026-10-01T12:00:00.000+00:00."""
    moment = datetime.fromtimestamp(float(epoch), timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}+00:00"


def json_value(name: str, value):
    if value is None:
        return None
    if name == "_time" and isinstance(value, (int, float)):
        return splunk_time(value)
    if isinstance(value, list):
        return [to_str(v) for v in value]
    return to_str(value)


def json_cols(rows: list[dict]) -> dict:
    """Rows as Splunk's output_mode=json_cols: field names in first-seen order, one column per field."""
    names: list[str] = []
    for row in rows:
        names.extend(k for k in row if k not in names)
    return {"preview": False, "init_offset": 0, "messages": [], "fields": [{"name": n} for n in names],
            "columns": [[json_value(n, row.get(n)) for row in rows] for n in names]}


def post_process(post: str) -> str:
    """A chain's post-process query as a search over its base results (`| where ...` -> `search * | where ...`)."""
    post = post.strip()
    return "search * " + post if post.startswith("|") else "search " + post


class TimeIndex:
    """The test events as an index: a search reads only its time range (two bisects), newest first, in the same
    order as the engine's own scan of the newest-first event list (ties keep their order)."""

    newest_first = True

    def __init__(self, events_newest_first: list[dict]):
        self.events = events_newest_first
        self.keys = [-float(e["_time"]) for e in events_newest_first]
        assert self.keys == sorted(self.keys), "events must be sorted newest first"

    def select(self, earliest=None, latest=None, index_earliest=None, index_latest=None):
        lo = 0 if latest is None else bisect_right(self.keys, -latest)       # _time < latest
        hi = len(self.keys) if earliest is None else bisect_right(self.keys, -earliest)   # _time >= earliest
        for event in self.events[lo:hi]:
            if index_earliest is not None or index_latest is not None:
                indexed = float(event.get("_indextime", event["_time"]))
                if (index_earliest is not None and indexed < index_earliest) or (
                        index_latest is not None and indexed >= index_latest):
                    continue
            yield event


def engine_runner(engine, events: list[dict], now: float):
    """run_spl for Splunkd: `engine()` (built on first use) searching the events, or a base job's rows."""
    index = TimeIndex(events)   # the same events in the same order; a search reads only its time range

    def run_spl(spl, earliest, latest, over=None):
        if over is not None:   # a chain's post-process over its base job's rows, in its time range
            return engine().search(spl, events=over, now=now, earliest=earliest, latest=latest)
        return engine().search(spl, events=index, now=now, earliest=earliest, latest=latest)
    return run_spl


class BaseResults:
    """A finished job's rows as the engine's event source for a post-process: every row, in the job's order."""

    newest_first = True   # the engine streams them as given instead of sorting by _time

    def __init__(self, rows: list[dict]):
        self.rows = rows

    def select(self, earliest=None, latest=None, index_earliest=None, index_latest=None):
        return (dict(row) for row in self.rows)   # copies: the post-process must not change the base's rows


class Splunkd:
    """State of the stand-in: dispatched jobs, served definitions, and a log of what the browser ran."""

    def __init__(self, run_spl, definitions: dict[str, dict], bundle: Path, now: float, app_dir: Path,
                 themes: dict[str, str] | None = None, cache: RowCache | None = None):
        self.run_spl = run_spl            # (spl, earliest, latest, over=None) -> rows; raises SplError. With
        #                                   over (a BaseResults), spl is a post-process run over those rows.
        self.cache = cache or RowCache()   # the engine's rows, by search
        self.now = now                    # the engine's "now": relative times resolve against it
        self.static = app_dir / "appserver" / "static"  # the app's /static/app/<app>/ files (map tiles)
        self.definitions = definitions    # name -> Dashboard Studio definition served to the harness
        self.themes = themes or {}        # name -> the view's theme attribute (light, dark): Splunk Web's colours
        self.bundle = bundle            # directory of harness.js / harness.css
        self.jobs: dict[str, dict] = {}
        self.searches: list[dict] = []    # every search the browser made: spl, earliest, latest, rows or error
        self._lock = threading.Lock()     # one engine search at a time
        self._server: ThreadingHTTPServer | None = None

    def rows(self, spl: str, earliest: str, latest: str, base: dict | None = None) -> list[dict]:
        """The rows of `spl` (searched, or with `base`, a job, post-processed over its rows); cached."""
        key = (spl, earliest, latest, base and base["key"])
        started = time.monotonic()
        with self._lock:
            result = self.cache.get(key)
            if result is None:
                try:
                    # the base job's time range: a post-process's timechart spans it, as in Splunk
                    result = {"rows": self.run_spl(post_process(spl), earliest or None, latest or None,
                                                   over=BaseResults(base["rows"]))
                              if base else self.run_spl(spl, earliest or None, latest or None)}
                except SplError as exc:
                    result = {"error": str(exc)}
                self.cache.put(key, result)
        entry = {"spl": spl, "earliest": earliest, "latest": latest, "seconds": round(time.monotonic() - started, 3)}
        if base:
            entry["post_process_of"] = base["spl"]
        entry.update({"error": result["error"]} if "error" in result else {"rows": len(result["rows"])})
        self.searches.append(entry)
        if "error" in result:
            raise SplError(result["error"])
        return result["rows"]

    def dispatch(self, form: dict) -> str:
        spl = form["search"]
        if spl.startswith("search "):
            spl = spl[len("search "):]
        earliest, latest = form.get("earliest_time", ""), form.get("latest_time", "")
        rows = self.rows(spl, earliest, latest)
        sid = f"harness_{len(self.jobs) + 1}"
        self.jobs[sid] = {"spl": spl, "earliest": earliest, "latest": latest, "rows": rows, "key": (spl, earliest, latest)}
        return sid

    def results(self, sid: str, post: str | None, offset: int = 0, count: int = 0) -> dict:
        """One page of a job's results (count 0: all), as Splunk pages them; a post-process also says how many
        rows it has in all (`post_process_count`), which the framework's pagination reads."""
        job = self.jobs[sid]
        rows = self.rows(post, job["earliest"], job["latest"], base=job) if post else job["rows"]
        page = json_cols(rows[offset:offset + count] if count else rows[offset:])
        if post:
            page["post_process_count"] = len(rows)
        return page

    def status(self, sid: str) -> dict:
        count = len(self.jobs[sid]["rows"])
        return {"name": sid, "content": {
            "sid": sid, "dispatchState": "DONE", "isDone": True, "isFinalized": False, "isFailed": False,
            "isPaused": False, "isRealTimeSearch": False, "doneProgress": 1, "resultCount": count,
            "resultPreviewCount": count, "eventCount": count, "scanCount": count, "messages": []}}

    def start(self) -> str:
        state = self

        class Handler(_Handler):
            splunkd = state

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()


class _Handler(BaseHTTPRequestHandler):
    splunkd: Splunkd

    def log_message(self, *args):  # quiet: the browser run reports what failed
        pass

    def _send(self, status: int, body, content_type="application/json", cache=False):
        data = body if isinstance(body, bytes) else (body if isinstance(body, str) else json.dumps(body)).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if cache:   # the 14 MB bundle and the tiles: fetched and compiled once per browser, not once per page
            self.send_header("Cache-Control", "public, max-age=3600, immutable")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _form(self) -> dict:
        url = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        if self.command == "POST":
            length = int(self.headers.get("Content-Length") or 0)
            params.update(urllib.parse.parse_qs(self.rfile.read(length).decode(), keep_blank_values=True))
        return params

    def do_GET(self):
        self._route()

    def do_POST(self):
        self._route()

    def _route(self):
        path = urllib.parse.urlsplit(self.path).path
        params = self._form()
        one = {k: v[-1] for k, v in params.items()}
        parts = path.strip("/").split("/")
        try:
            if parts[:1] == ["en-US"]:
                parts = parts[1:]
            if parts[:2] == ["app", "aws_cryptomining"] and len(parts) == 3:
                return self._send(200, HARNESS_PAGE.format(title=parts[2], theme=self.splunkd.themes.get(parts[2], "light")), "text/html")
            if parts[:3] == ["static", "app", "aws_cryptomining"]:
                asset = self.splunkd.static.joinpath(*parts[3:])
                if asset.is_file() and self.splunkd.static in asset.resolve().parents:
                    kind = {".png": "image/png", ".css": "text/css", ".js": "text/javascript"}.get(asset.suffix)
                    return self._send(200, asset.read_bytes(), kind or "application/octet-stream", cache=True)
            if path in ("/static/harness.js", "/static/harness.css"):
                asset = self.splunkd.bundle / path.rsplit("/", 1)[1]
                return self._send(200, asset.read_bytes(), "text/css" if path.endswith("css") else "text/javascript",
                                  cache=True)
            if parts[0] == "definition" and len(parts) == 2:
                definition = self.splunkd.definitions.get(parts[1])
                return self._send(200, definition) if definition else self._send(404, {"error": parts[1]})
            if parts[-3:] == ["data", "ui", "times"]:
                return self._send(200, {"entry": [
                    {"name": label, "content": {"label": label, "earliest_time": earliest, "latest_time": "now",
                                                "order": order, "disabled": False}}
                    for label, earliest, order in TIME_PRESETS]})
            if parts[-2:] == ["authentication", "current-context"]:
                return self._send(200, {"entry": [{"name": "admin", "content": {
                    "username": "admin", "roles": ["admin"], "capabilities": ["search", "rtsearch", "schedule_search"]}}]})
            if parts[-2:] == ["search", "timeparser"]:
                return self._send(200, {text: splunk_time(parse_time_modifier(text, self.splunkd.now, timezone.utc))
                                        for text in params.get("time", [])})
            if "search" in parts and parts[-1] == "jobs":
                if self.command == "POST":
                    return self._send(201, {"sid": self.splunkd.dispatch(one)})
                return self._send(200, {"entry": [self.splunkd.status(sid) for sid in params.get("id", [])]})
            if "jobs" in parts and parts[-1] in ("results", "results_preview"):
                return self._send(200, self.splunkd.results(parts[-2], one.get("search"), int(one.get("offset") or 0),
                                                            int(one.get("count") or 0)))
            if "jobs" in parts and parts[-1] == "control":
                return self._send(200, {"messages": []})
        except SplError as exc:
            return self._send(400, {"messages": [{"type": "FATAL", "text": str(exc)}]})
        return self._send(404, {"messages": [{"type": "ERROR", "text": f"not served by the test splunkd: {path}"}]})
