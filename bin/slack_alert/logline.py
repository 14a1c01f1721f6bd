"""One-line key=value log records on stderr, which splunkd copies into splunkd.log (component=sendmodalert).

splunkd takes the first word of each stderr line as the log level, so every line starts with
INFO/WARN/ERROR. Every line carries the search name and sid; values are quoted and stripped of
quotes and line breaks so a result value can never forge another log line.
"""
import sys

ACTION = "cryptomining_slack"
_LIMIT = 300


def _quote(value):
    text = str(value).replace("\\", "/").replace('"', "'")
    text = "".join(" " if ord(c) < 32 or ord(c) == 127 else c for c in text)
    if len(text) > _LIMIT:
        text = text[:_LIMIT] + "..."
    return f'"{text}"'


class Log:
    """Logger bound to one invocation's search name and sid."""

    def __init__(self, search_name="unknown", sid="unknown", stream=None):
        self.search_name, self.sid = search_name, sid
        self.stream = stream or sys.stderr

    def bind(self, search_name, sid):
        self.search_name, self.sid = search_name, sid

    def write(self, level, event, **fields):
        parts = [level, f"action={ACTION}", f"event={event}", f"search_name={_quote(self.search_name)}",
                 f"sid={_quote(self.sid)}"]
        parts.extend(f"{key}={_quote(value)}" for key, value in fields.items() if value is not None)
        self.stream.write(" ".join(parts) + "\n")
        self.stream.flush()

    def info(self, event, **fields):
        self.write("INFO", event, **fields)

    def warn(self, event, **fields):
        self.write("WARN", event, **fields)

    def error(self, event, **fields):
        self.write("ERROR", event, **fields)
