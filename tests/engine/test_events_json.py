"""KV_MODE=json search-time extraction on real CloudTrail events (tests/data/cloudtrail).

Splunk extracts JSON keys with nested keys joined by "." and array elements under "{}"; a path reached
several times is a multivalue field (spath docs:
https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/spath).
"""
from splengine import run_search
from splengine.events import extract, flatten_json


def test_nested_keys_arrays_and_multivalue():
    row = flatten_json({"a": {"b": 1, "c": [{"d": "x"}, {"d": "y"}], "e": [], "f": {}}, "t": True, "n": None})
    assert row == {"a.b": "1", "a.c{}.d": ["x", "y"], "t": "true", "n": "null"}


def test_event_fields_win_over_json():
    ev = {"_raw": '{"source": "aws.guardduty", "k": "v"}', "source": "file.json"}
    assert extract(ev) == {"_raw": ev["_raw"], "source": "file.json", "k": "v"}


def test_cloudtrail_instance_ids_are_multivalue(ct_events):
    got = run_search("eventName=RunInstances responseElements.instancesSet.items{}.instanceId=*"
                     " | table responseElements.instancesSet.items{}.instanceId", events=ct_events, now=2e9)
    values = [r["responseElements.instancesSet.items{}.instanceId"] for r in got]
    assert values == ["i-07d06021b0da55115", ["i-00000000000000000", "i-00000000000000001"]]


def test_search_on_nested_fields(ct_events):
    got = run_search("userIdentity.type=AssumedRole errorCode=Client.UnauthorizedOperation"
                     " requestParameters.instanceType=p2.xlarge", events=ct_events, now=2e9)
    assert [r["awsRegion"] for r in got] == ["ca-south-3r"]
    assert got[0]["requestParameters.instancesSet.items{}.maxCount"] == "10"


def test_failed_launches_by_error_code(ct_events):
    got = run_search("eventName=RunInstances errorCode=* | stats count by errorCode", events=ct_events, now=2e9)
    assert got == [{"errorCode": "Client.DryRunOperation", "count": 1},
                   {"errorCode": "Client.UnauthorizedOperation", "count": 1}]


def test_non_json_raw_is_left_alone():
    got = run_search("hello", events=[{"_raw": "hello world {", "_time": 1, "k": "v"}], now=2)
    assert got == [{"_raw": "hello world {", "_time": 1, "k": "v"}]
