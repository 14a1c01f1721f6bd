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
                                                               "ConsoleLogin", "Nothing", "PutBucketVersioning"]
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


# The bytes path (replay/ingest/bytelines.py) against the text path it stands for: the same events, errors, line
# numbers and count of lines left out, for files mixing real records with every shape a line can take, read in
# blocks small enough that lines straddle them and the buffer grows.
LINE_SHAPES = [
    lambda r: json.dumps(r),
    lambda r: json.dumps(r).replace("R", "\\u0052"),                          # \u escapes
    lambda r: json.dumps(r, ensure_ascii=False).replace('"us-', '"üs-'),       # non-ASCII text
    lambda r: json.dumps(r).upper().replace('"EVENTTIME"', '"eventTime"'),    # literals in capitals
    lambda r: json.dumps(r, ensure_ascii=False).replace("k", "\u212a"),      # KELVIN SIGN: str.lower() makes it k
    lambda r: "  " + json.dumps(r) + " ",                                     # indented JSON line
    lambda r: json.dumps(r) + "\r",                                           # \r\n line end
    lambda r: json.dumps(r)[:-5],                                             # invalid JSON
    lambda r: json.dumps(r).replace("aws", "a\udcffws"),                      # a byte that is not UTF-8
    lambda r: "",                                                             # blank line
    lambda r: "2 123456789012 eni-0a1b2c3d 10.0.0.5 10.0.1.7 443 49152 6 10 8400 1700000000 1700000060 ACCEPT OK",
]


def _file_lines(choices):
    return [LINE_SHAPES[shape](RECORDS[index]) for shape, index in choices]


def _read_all(path, line_filter, bytes_path, **patches):
    """(events, errors, lines left out, counts) read through the bytes path or the text path, with module
    attributes patched (`BLOCK`, `MAX_ITEM_CHARS`, ...) for the read."""
    from replay.ingest import bytelines, reader
    with pytest.MonkeyPatch.context() as patch:
        for name, value in patches.items():
            for module in (bytelines, reader):
                if hasattr(module, name):
                    patch.setattr(module, name, value)
        if not bytes_path:
            patch.setattr(bytelines, "byte_anchors", lambda _: None)
        report = IngestReport()
        events = [(e["_raw"], e["_time"], e["sourcetype"])
                  for e in read_events([path], report, line_filter=line_filter, host="h")]
    return events, report.errors, report.left_out, dict(report.counts)


@settings(max_examples=60, deadline=None)
@given(choices=st.lists(st.tuples(st.sampled_from([0] * 6 + list(range(1, len(LINE_SHAPES)))),
                                  st.integers(0, len(RECORDS) - 1)), min_size=1, max_size=30),
       text=TREE, block=st.sampled_from([16, 200, 1000, 1 << 20]), bom=st.booleans(), end=st.sampled_from(["\n", ""]))
def test_the_bytes_path_reads_what_the_text_path_reads(tmp_path_factory, choices, text, block, bom, end):
    first = json.dumps(RECORDS[choices[0][1]])   # a JSON-lines file: its first line a JSON object
    body = "\n".join([first] + _file_lines(choices)) + end
    path = tmp_path_factory.mktemp("bytes") / "export.ndjson"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + body.encode("utf-8", "surrogateescape"))
    tree = parse_search_text(text).tree
    fast = _read_all(path, LineFilter([tree]) or None, True, BLOCK=block)
    slow = _read_all(path, LineFilter([tree]) or None, False)
    assert fast == slow


def test_the_bytes_path_reports_an_overlong_line_and_reads_on(tmp_path):
    lines = [json.dumps(r) for r in RECORDS[:6]]
    lines[2] = json.dumps({**RECORDS[2], "pad": "x" * 5000})
    path = tmp_path / "long.ndjson"
    path.write_text("\n".join(lines) + "\n")
    line_filter = LineFilter([parse_search_text("eventName=*").tree])
    results = [_read_all(path, line_filter, bytes_path, MAX_ITEM_CHARS=2000, CHUNK=64, BLOCK=64)
               for bytes_path in (True, False)]
    assert results[0] == results[1]
    events, errors, _, _ = results[0]
    assert len(events) == 5 and [(line, "longer" in message) for _, line, message in errors] == [(3, True)]


def test_the_bytes_path_decodes_lines_only_text_can_match(tmp_path):
    """A line whose bytes lack the literal but whose text holds it (KELVIN SIGN, lower-cased by str.lower to k; a
    \\u escape) is decoded and tested like the text path does; the plain line without it is left out."""
    put = next(r for r in RECORDS if r["eventName"] == "PutBucketVersioning")
    other = next(r for r in RECORDS if r["eventName"] == "ConsoleLogin")
    lines = [json.dumps(other), json.dumps(put, ensure_ascii=False).replace("k", "\u212a"),
             json.dumps(put).replace("V", "\\u0056"), json.dumps(other)]
    path = tmp_path / "kelvin.ndjson"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    line_filter = LineFilter([parse_search_text("eventName=PutBucketVersioning").tree])
    fast, slow = (_read_all(path, line_filter, bytes_path) for bytes_path in (True, False))
    assert fast == slow and len(fast[0]) == 2 and fast[2] == 2
