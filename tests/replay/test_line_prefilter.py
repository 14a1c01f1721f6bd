"""hunt.py --search skips the JSON lines its base search cannot match before parsing them, and never one holding
an event the engine would return: the same rows with and without the prefilter, over real CloudTrail records
(samples/panther, a public sample set) written as NDJSON, as CloudWatch Logs-wrapped messages, as one-line
`aws cloudtrail lookup-events` outputs and with `\\u` escapes, for random base searches."""
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import hunt
from replay.ingest import IngestReport, check_read, read_events
from replay.ingest.prefilter import LineFilter
from splengine import Engine
from splengine.expr.search import parse_search_text

ROOT = Path(__file__).resolve().parents[2]
RECORDS = [json.loads(line) for line in (ROOT / "samples" / "panther" / "cloudtrail.ndjson").read_text().splitlines()]


def _escaped(text):
    """`\\u` escapes for every capital R: the same JSON value, a different text."""
    return text.replace("R", "\\u0052")


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    path = tmp_path_factory.mktemp("prefilter") / "mixed.ndjson"
    lines = []
    for i, record in enumerate(RECORDS[:160]):
        text = json.dumps(record)
        shape = i % 4
        if shape == 0:
            lines.append(text)
        elif shape == 1:
            lines.append(json.dumps({"message": text, "timestamp": 1700000000000 + i}))
        elif shape == 2:
            lines.append(json.dumps({"Events": [{"EventId": str(i), "CloudTrailEvent": text}]}))
        else:
            lines.append(_escaped(text))
    path.write_text("\n".join(lines) + "\n")
    return path


NAMES = sorted({r["eventName"] for r in RECORDS[:160]})[:12] + ["RunInstances", "runinstances", "Run*", "*Role",
                                                               "ConsoleLogin", "Nothing"]
LEAF = st.one_of(
    st.builds(lambda v: f'eventName="{v}"', st.sampled_from(NAMES)),
    st.builds(lambda v: f"userIdentity.type={v}", st.sampled_from(["AssumedRole", "IAMUser", "Root", "root"])),
    st.builds(lambda v: f"awsRegion={v}", st.sampled_from(["us-east-1", "US-WEST-2", "eu-*"])),
    st.just("index=aws"), st.just("sourcetype=aws:cloudtrail"), st.just("eventSource=ec2.amazonaws.com"),
    st.just("NOT errorCode=*"), st.just("ConsoleLogin"))
TREE = st.recursive(LEAF, lambda inner: st.one_of(st.builds(lambda a, b: f"{a} {b}", inner, inner),
                                                   st.builds(lambda a, b: f"({a} OR {b})", inner, inner)),
                    max_leaves=4)


def _rows(engine, text, path, line_filter):
    report = IngestReport()
    rows = engine.search(text + " | fields _raw eventName", events=read_events([path], report, line_filter=line_filter),
                         now=2_000_000_000)
    return [row["_raw"] for row in rows], report


@settings(max_examples=60, deadline=None)
@given(text=TREE)
def test_the_prefilter_never_drops_a_line_holding_a_match(export, tmp_path_factory, text):
    engine = Engine(ROOT, tmp_path_factory.mktemp("lookups"))
    line_filter = LineFilter([parse_search_text(text).tree])
    filtered, report = _rows(engine, text, export, line_filter or None)
    everything, full = _rows(engine, text, export, None)
    assert filtered == everything
    assert full.error_count == 0 and sum(full.counts.values()) == 160   # one event per line, every shape read
    assert sum(report.counts.values()) + report.left_out == 160


def test_lines_without_the_literal_are_left_unparsed_and_counted(export, tmp_path):
    engine = Engine(ROOT, tmp_path)
    text = 'index=aws eventName=RunInstances'
    rows, report = _rows(engine, text, export, LineFilter([parse_search_text(text).tree]))
    kept = [line for line in export.read_text().splitlines() if "runinstances" in line.lower() or "\\u" in line]
    assert rows and all('"RunInstances"' in raw for raw in rows)
    assert sum(report.counts.values()) == len(kept) and report.left_out == 160 - len(kept)
    assert "left out %d JSON line(s)" % report.left_out in report.summary()
    check_read(report, [export])   # nothing matched is not "no events read"


def test_the_filter_covers_every_base_search_of_the_plan(tmp_path):
    engine = Engine(ROOT, tmp_path)
    assert hunt._line_filter(engine.compile("index=aws eventName=RunInstances | stats count")).literals == (
        "runinstances",)
    assert hunt._line_filter(engine.compile("index=aws sourcetype=aws:cloudtrail | stats count")) is None
    both = hunt._line_filter(engine.compile("eventName=RunInstances | append [search eventName=StopInstances]"))
    assert both("{'eventName': 'StopInstances'}") and not both("{'eventName': 'DescribeInstances'}")
    assert hunt._line_filter(engine.compile("eventName=RunInstances | append [search x>1]")) is None
    assert hunt._line_filter(engine.compile("| makeresults")) is None
    either = LineFilter([parse_search_text("(eventName=A* userIdentity.type=Root) OR eventSource IN (s3*, iam.x)").tree])
    assert either.requirements == (("or", (("and", ("a", "root")), ("or", ("s3", "iam.x")))),)
    assert set(either.anchors) == {"a", "s3", "iam.x"}   # one of them must be in a line: the quick rejection


def test_hunt_search_over_ndjson_gives_the_rows_of_the_unfiltered_read(export, capsys):
    assert hunt.main(["--json", "--search", "index=aws eventName=RunInstances | stats count by awsRegion",
                      str(export)]) == 0
    printed = sorted(capsys.readouterr().out.splitlines())
    engine = Engine(ROOT)
    rows = engine.search("index=aws eventName=RunInstances | stats count by awsRegion",
                         events=read_events([export]), now=2_000_000_000)
    assert printed == sorted(json.dumps({"awsRegion": r["awsRegion"], "count": int(r["count"])},
                                        separators=(",", ":")) for r in rows)
