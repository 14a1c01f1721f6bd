"""Loopback HTTP fakes: Slack (incoming webhooks, Web API chat.postMessage, conversations.history and
conversations.replies) and splunkd storage/passwords.

One ThreadingHTTPServer on 127.0.0.1 serves both. Each Slack path has a script of responses consumed in
order (then `ok`); every request is recorded. A scripted Reply can be any fault Slack or the network can
produce: an error status, Retry-After values, a body in an unknown charset or invalid UTF-8, invalid JSON,
a non-HTTP status line, a reply too slow for the client's timeout, or a dropped connection - each either
before or after Slack "posted" the message (`accepted`). Posted messages are kept per channel, with their
metadata, so the history methods answer as Slack does and the tests count what reached the channel. The splunkd side answers with Atom XML exactly shaped like
splunkd's /servicesNS/nobody/<app>/storage/passwords/<realm>:<name>: responses and checks the session key.
"""
import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, unquote, urlsplit
from xml.sax.saxutils import escape

ATOM = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:s="http://dev.splunk.com/ns/rest" \
xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">
  <title>passwords</title>
  <id>https://127.0.0.1:8089/servicesNS/nobody/{app}/storage/passwords</id>
  <updated>2026-11-24T12:00:00+00:00</updated>
  <generator build="78803f08aabb" version="9.3.2"/>
  <author><name>Splunk</name></author>
  <opensearch:totalResults>1</opensearch:totalResults>
  <opensearch:itemsPerPage>30</opensearch:itemsPerPage>
  <opensearch:startIndex>0</opensearch:startIndex>
  <s:messages/>
  <entry>
    <title>{title}</title>
    <id>https://127.0.0.1:8089/servicesNS/nobody/{app}/storage/passwords/{path}</id>
    <updated>2026-11-24T12:00:00+00:00</updated>
    <link href="/servicesNS/nobody/{app}/storage/passwords/{path}" rel="alternate"/>
    <author><name>admin</name></author>
    <link href="/servicesNS/nobody/{app}/storage/passwords/{path}" rel="list"/>
    <link href="/servicesNS/nobody/{app}/storage/passwords/{path}" rel="edit"/>
    <link href="/servicesNS/nobody/{app}/storage/passwords/{path}" rel="remove"/>
    <content type="text/xml">
      <s:dict>
        <s:key name="clear_password">{secret}</s:key>
        <s:key name="eai:acl">
          <s:dict>
            <s:key name="app">{app}</s:key>
            <s:key name="can_change_perms">1</s:key>
            <s:key name="can_list">1</s:key>
            <s:key name="can_share_app">1</s:key>
            <s:key name="can_share_global">1</s:key>
            <s:key name="can_share_user">0</s:key>
            <s:key name="can_write">1</s:key>
            <s:key name="modifiable">1</s:key>
            <s:key name="owner">admin</s:key>
            <s:key name="sharing">app</s:key>
          </s:dict>
        </s:key>
        <s:key name="encr_password">$7$REDACTED</s:key>
        <s:key name="password">********</s:key>
        <s:key name="realm">{realm}</s:key>
        <s:key name="username">{name}</s:key>
      </s:dict>
    </content>
  </entry>
</feed>
"""
NOT_FOUND = """<?xml version="1.0" encoding="UTF-8"?>
<response><messages><msg type="ERROR">Could not find object id={key}</msg></messages></response>
"""


class Reply:
    """One scripted HTTP answer.

    status/body/headers: the answer (a dict body is sent as JSON, str as text, bytes verbatim);
    content_type: overrides the Content-Type header (e.g. an unknown charset);
    raw: bytes written instead of an HTTP response (e.g. a non-HTTP status line), then the connection closes;
    delay: seconds to wait before answering (longer than the client's timeout: a read timeout);
    drop: close the connection without answering;
    accepted: whether Slack posted the message before this answer (default: a 2xx status that is answered).
    """

    def __init__(self, status=200, body=None, headers=None, delay=0.0, content_type=None, raw=None, drop=False,
                 accepted=None):
        self.status, self.body, self.headers, self.delay = status, body, headers or {}, delay
        self.content_type, self.raw, self.drop = content_type, raw, drop
        answered = raw is None and not drop
        self.accepted = (200 <= status < 300 and answered) if accepted is None else accepted


OK_WEBHOOK = Reply(200, "ok")


def ok_api(ts="1700000000.000100"):
    return Reply(200, {"ok": True, "channel": "C0FAKE", "ts": ts})


SID = re.compile(r"sid ([^ \u00b7\"]+)")


class FakeServer:
    """Slack + splunkd fake; `script(path, *replies)` queues answers, `requests(path)` lists what arrived."""

    def __init__(self, session_key, app="aws_cryptomining"):
        self.session_key, self.app = session_key, app
        self.passwords = {}
        self.kvstore = {}  # collection -> _key -> record (storage/collections/data)
        self.kv_down = False  # True: every KV store request answers 503, as when the KV store is not ready
        self._scripts, self._log = {}, []
        self.chaos = None  # optional callable(path) -> Reply or None: a fault for a request nothing scripted
        self.posted = []  # messages Slack accepted: dicts with path, channel, thread_ts, ts, metadata, body
        self._ts = time.time()
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def script(self, path, *replies):
        with self._lock:
            self._scripts.setdefault(path, []).extend(replies)

    def requests(self, path=None):
        with self._lock:
            return [r for r in self._log if path is None or r["path"] == path]

    def posted_sids(self):
        """The sid of every accepted message, in order (one alert posted twice appears twice)."""
        with self._lock:
            bodies = [json.dumps(m["body"], ensure_ascii=False) for m in self.posted]
        return [SID.search(body).group(1) for body in bodies]

    def _post(self, path, body):
        with self._lock:
            self._ts += 0.0001
            ts = f"{self._ts:.6f}"
            body = body if isinstance(body, dict) else {}
            self.posted.append({"path": path, "channel": body.get("channel"), "thread_ts": body.get("thread_ts"),
                                "ts": ts, "metadata": body.get("metadata"), "body": body})
            return ts

    def _history(self, method, query):
        """conversations.history / conversations.replies over the posted messages, newest first."""
        channel = query.get("channel", [""])[0]
        oldest = float(query.get("oldest", ["0"])[0] or 0)
        limit = int(query.get("limit", ["100"])[0])
        offset = int(query.get("cursor", ["0"])[0] or 0)
        with_metadata = query.get("include_all_metadata", ["0"])[0].lower() in ("1", "true")
        thread = query.get("ts", [None])[0]
        with self._lock:
            messages = [m for m in self.posted if m["channel"] == channel and float(m["ts"]) >= oldest]
        if method == "conversations.replies":
            messages = [m for m in messages if m["thread_ts"] == thread or m["ts"] == thread]
        else:
            messages = [m for m in messages if not m["thread_ts"]]
        messages.sort(key=lambda m: float(m["ts"]), reverse=True)
        page = messages[offset:offset + limit]
        out = []
        for m in page:
            item = {"type": "message", "ts": m["ts"], "text": m["body"].get("text", "")}
            if with_metadata and m["metadata"]:
                item["metadata"] = m["metadata"]
            out.append(item)
        more = offset + limit < len(messages)
        return {"ok": True, "messages": out, "has_more": more,
                "response_metadata": {"next_cursor": str(offset + limit) if more else ""}}

    def _next(self, path):
        with self._lock:
            queue = self._scripts.get(path) or []
            if queue:
                return queue.pop(0)
            return self.chaos(path) if self.chaos else None

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _send(self, status, body, headers=None, content_type="application/json"):
                data = body if isinstance(body, bytes) else body.encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                if (self.headers.get("Connection") or "").lower() == "close":
                    self.send_header("Connection", "close")  # as splunkd does; splunklib relies on it
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                prefix = f"/servicesNS/nobody/{fake.app}/storage/passwords/"
                path = self.path.split("?", 1)[0]
                with fake._lock:
                    fake._log.append({"path": path, "method": "GET", "headers": dict(self.headers), "body": None,
                                      "at": time.monotonic()})
                if path.startswith("/api/conversations."):
                    return self._conversations(path, parse_qs(urlsplit(self.path).query))
                if self.headers.get("Authorization") != f"Splunk {fake.session_key}":
                    return self._send(401, NOT_FOUND.format(key="unauthorized"), content_type="text/xml")
                if path.startswith(self._kv_prefix()):
                    return self._kv_get(path)
                if not path.startswith(prefix):
                    return self._send(404, NOT_FOUND.format(key=escape(path)), content_type="text/xml")
                key = unquote(path[len(prefix):])
                realm, _, rest = key.partition(":")
                name = rest[:-1] if rest.endswith(":") else rest
                secret = fake.passwords.get((realm, name))
                if secret is None:
                    return self._send(404, NOT_FOUND.format(key=escape(key)), content_type="text/xml")
                xml = ATOM.format(app=fake.app, title=escape(key), path=quote(key, safe=""), secret=escape(secret),
                                  realm=escape(realm), name=escape(name))
                return self._send(200, xml, content_type="text/xml")

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8")
                path = self.path.split("?", 1)[0]
                if path.startswith(fake.base):  # absolute URI: the client used this server as its HTTP proxy
                    path = path[len(fake.base):]
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = raw
                with fake._lock:
                    fake._log.append({"path": path, "method": "POST", "headers": dict(self.headers), "body": body,
                                      "at": time.monotonic()})
                if path.startswith("/api/conversations."):  # slack_sdk POSTs these form-encoded
                    return self._conversations(path, parse_qs(raw))
                if path.startswith(self._kv_prefix()):
                    return self._kv_post(path, body)
                reply = fake._next(path)
                if reply is None:
                    reply = Reply(200, None) if path.startswith("/api/") else OK_WEBHOOK
                ts = fake._post(path, body) if reply.accepted else None
                if path.startswith("/api/") and reply.body is None and reply.raw is None and not reply.drop:
                    reply = Reply(reply.status, {"ok": True, "channel": (body or {}).get("channel"), "ts": ts},
                                  reply.headers, reply.delay)
                self._answer(reply)

            def _kv_prefix(self):
                return f"/servicesNS/nobody/{fake.app}/storage/collections/data/"

            def _kv_get(self, path):
                """KV store REST: GET data/<collection>/<_key> -> the record, or 404; GET data/<collection>?query=
                <json>&sort=<field>&limit=<n> -> the records whose fields equal the query's, sorted, as a list."""
                if fake.kv_down:
                    return self._send(503, json.dumps({"messages": [{"type": "ERROR", "text": "KV Store is down"}]}))
                collection, _, key = unquote(path[len(self._kv_prefix()):]).partition("/")
                if not key:
                    params = parse_qs(urlsplit(self.path).query)
                    query = json.loads(params.get("query", ["{}"])[0])
                    with fake._lock:
                        records = [dict(r) for r in fake.kvstore.get(collection, {}).values()
                                   if all(r.get(k) == v for k, v in query.items())]
                    sort = params.get("sort", [""])[0].split(":")[0]
                    if sort:
                        records.sort(key=lambda r: str(r.get(sort)))
                    limit = int(params.get("limit", ["0"])[0] or 0)
                    return self._send(200, json.dumps(records[:limit] if limit else records))
                with fake._lock:
                    record = fake.kvstore.get(collection, {}).get(key)
                if record is None:
                    return self._send(404, json.dumps({"messages": [{"type": "ERROR", "text": "Could not find object."}]}))
                return self._send(200, json.dumps(record))

            def do_DELETE(self):
                """KV store REST: DELETE data/<collection>/<_key>, or data/<collection>?query=<json> (the records
                whose fields equal the query's)."""
                path = self.path.split("?", 1)[0]
                with fake._lock:
                    fake._log.append({"path": path, "method": "DELETE", "headers": dict(self.headers), "body": None,
                                      "at": time.monotonic()})
                if self.headers.get("Authorization") != f"Splunk {fake.session_key}":
                    return self._send(401, NOT_FOUND.format(key="unauthorized"), content_type="text/xml")
                if fake.kv_down or not path.startswith(self._kv_prefix()):
                    return self._send(503, json.dumps({"messages": [{"type": "ERROR", "text": "KV Store is down"}]}))
                collection, _, key = unquote(path[len(self._kv_prefix()):]).partition("/")
                query = json.loads(parse_qs(urlsplit(self.path).query).get("query", ["{}"])[0])
                with fake._lock:
                    stored = fake.kvstore.get(collection, {})
                    doomed = [key] if key else [k for k, r in stored.items()
                                                if all(r.get(f) == v for f, v in query.items())]
                    for name in doomed:
                        stored.pop(name, None)
                return self._send(200, "")

            def _kv_post(self, path, body):
                """KV store REST: POST data/<collection> inserts one record (409 when its _key exists, as the KV
                store refuses a duplicate _key), data/<collection>/<_key> replaces it, data/<collection>/
                batch_save inserts or replaces an array of records by _key."""
                if self.headers.get("Authorization") != f"Splunk {fake.session_key}":
                    return self._send(401, NOT_FOUND.format(key="unauthorized"), content_type="text/xml")
                if fake.kv_down:
                    return self._send(503, json.dumps({"messages": [{"type": "ERROR", "text": "KV Store is down"}]}))
                collection, _, action = unquote(path[len(self._kv_prefix()):]).partition("/")
                records = body if action == "batch_save" else [dict(body, _key=action or body.get("_key"))] \
                    if isinstance(body, dict) else None
                if not isinstance(records, list) or not all(isinstance(r, dict) and r.get("_key") for r in records):
                    return self._send(400, json.dumps({"messages": [{"type": "ERROR", "text": "bad request"}]}))
                with fake._lock:
                    stored = fake.kvstore.setdefault(collection, {})
                    if not action and records[0]["_key"] in stored:
                        return self._send(409, json.dumps({"messages": [{"type": "ERROR", "text":
                                          "A document with the same key and user already exists."}]}))
                    for record in records:
                        stored[record["_key"]] = dict(record)
                if action == "batch_save":
                    return self._send(200, json.dumps([r["_key"] for r in records]))
                return self._send(201 if not action else 200, json.dumps({"_key": records[0]["_key"]}))

            def _conversations(self, path, query):
                reply = fake._next(path)
                if reply is None:
                    return self._send(200, json.dumps(fake._history(path[len("/api/"):], query)))
                return self._answer(reply)

            def _answer(self, reply):
                try:
                    if reply.raw is not None:
                        self.wfile.write(reply.raw)
                        self.close_connection = True
                        return
                    if reply.delay:
                        time.sleep(reply.delay)
                    if reply.drop:
                        self.close_connection = True
                        return
                    if isinstance(reply.body, (bytes, str)):
                        payload, ctype = reply.body, "text/html"
                    else:
                        payload, ctype = json.dumps(reply.body), "application/json"
                    self._send(reply.status, payload, reply.headers, content_type=reply.content_type or ctype)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        return Handler
