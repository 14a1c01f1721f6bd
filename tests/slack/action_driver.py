"""Run the staged alert action's main() many times in one Splunk-Python process (test helper, never shipped).

The fault matrix and the soak run the action hundreds of times; starting an interpreter for each would cost
more than the test budget allows. This driver runs under Splunk's interpreter with only the staged app's
vendored bin/lib importable (as cryptomining_slack.py sets it up) and executes requests from stdin, one JSON
line each: {"env": {...}, "payloads": [...], "threads": n}. It answers one JSON line: a list of
{"code": exit code, "stderr": the action's log lines}, in the order of the payloads.

Usage: python action_driver.py <staged app bin directory>
"""
import io
import json
import sys
from concurrent.futures import ThreadPoolExecutor
from itertools import repeat


def main(bin_dir):
    for path in (bin_dir + "/lib", bin_dir):
        sys.path.insert(0, path)
    from slack_alert import action  # noqa: PLC0415 - only importable once the staged bin/ is on sys.path

    def run(env, payload):
        stream = io.StringIO()
        code = action.main(["cryptomining_slack.py", "--execute"], io.StringIO(json.dumps(payload)), env,
                           stream=stream)
        return {"code": code, "stderr": stream.getvalue()}

    for line in sys.stdin:
        request = json.loads(line)
        with ThreadPoolExecutor(max(int(request.get("threads", 1)), 1)) as pool:
            results = list(pool.map(run, repeat(request["env"]), request["payloads"]))
        sys.stdout.write(json.dumps(results) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1])
