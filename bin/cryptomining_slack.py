"""Custom alert action `cryptomining_slack`: splunkd runs `cryptomining_slack.py --execute` with a JSON
payload on stdin. The logic lives in bin/slack_alert/; vendored libraries ship in bin/lib/."""
import os
import sys

_BIN = os.path.dirname(os.path.abspath(__file__))
for _path in (os.path.join(_BIN, "lib"), _BIN):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from slack_alert.action import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv, sys.stdin, os.environ))
