"""What a responder gets from the AWS CLI, turned into the records the Splunk Add-on for AWS would index.

- `aws cloudtrail lookup-events`: `{"Events": [{..., "CloudTrailEvent": "<JSON string>"}], "NextToken"?}`; the
  CloudTrailEvent string is the CloudTrail record itself (API_Event: "A JSON string that contains a representation
  of the event returned"), so it is the event's `_raw`, verbatim.
- `aws guardduty get-findings`: `{"Findings": [...]}`. The CLI prints the SDK's member names (AccountId, Arn,
  UpdatedAt, Service.ServiceName), where the finding JSON that EventBridge, S3 exports and the Add-on carry uses the
  wire names of the API reference (accountId, arn, updatedAt, service.serviceName): every GuardDuty member's wire
  name is its member name with the first letter lower-cased, so keys are converted that way and `_raw` is the
  converted finding's JSON.
- CloudTrail Lake `aws cloudtrail get-query-results`: `{"QueryStatus": ..., "QueryResultRows": [[{"column":
  "value"}, ...], ...]}`; a row with eventTime, eventName and eventSource is one CloudTrail record made of the
  selected columns (a column whose value is a JSON object text is parsed back into the object).
"""
import orjson

from .reader import Item, ReadError, array_items


def container_key(value):
    """The CLI output array `value` holds ("Events", "Findings", "QueryResultRows"), or None."""
    if isinstance(value.get("Events"), list) and set(value) <= {"Events", "NextToken"}:
        return "Events"
    if isinstance(value.get("Findings"), list) and set(value) == {"Findings"}:
        return "Findings"
    if isinstance(value.get("QueryResultRows"), list) and "QueryStatus" in value:
        return "QueryResultRows"
    return None


def records(item, key):
    """Items holding the log records of the CLI output `item` whose array is `key`; an unusable entry is yielded
    as its ReadError (reported with its line) and the entries after it are still read."""
    for element in array_items(item.raw, key):
        line = element.line + item.line - 1
        try:
            if key == "Events":
                yield _lookup_event(line, element.value)
            elif key == "Findings":
                finding = _camel(element.value)
                yield Item(line, orjson.dumps(finding).decode(), finding)
            else:
                yield _lake_row(line, element.value)
        except ReadError as exc:
            yield exc


def _lookup_event(line, event):
    text = event.get("CloudTrailEvent") if isinstance(event, dict) else None
    if not isinstance(text, str):
        raise ReadError(line, "lookup-events entry without a CloudTrailEvent string")
    try:
        return Item(line, text, orjson.loads(text))
    except orjson.JSONDecodeError as exc:
        raise ReadError(line, f"CloudTrailEvent is not JSON: {exc}") from None


def _camel(value):
    if isinstance(value, dict):
        return {key[:1].lower() + key[1:]: _camel(v) for key, v in value.items()}
    if isinstance(value, list):
        return [_camel(v) for v in value]
    return value


def _lake_row(line, row):
    if not isinstance(row, list) or not all(isinstance(cell, dict) for cell in row):
        raise ReadError(line, "QueryResultRows entry is not a list of {column: value}")
    return lake_record(line, (pair for cell in row for pair in cell.items()))


def lake_record(line, pairs):
    """The Item of the CloudTrail record made of one CloudTrail Lake result row's (column, value text) pairs: a
    value that is JSON object text is parsed back; raises ReadError naming the missing columns when eventTime,
    eventName or eventSource is not among them (the S3-delivered CSV rows are built here too: lakecsv.py)."""
    record = {}
    for column, text in pairs:
        record[column] = _maybe_object(text)
    missing = [name for name in ("eventTime", "eventName", "eventSource") if name not in record]
    if missing:
        raise ReadError(line, f"CloudTrail Lake row without {', '.join(missing)} (select them to replay the row)")
    return Item(line, orjson.dumps(record).decode(), record)


def _maybe_object(text):
    if isinstance(text, str) and text.startswith("{") and text.endswith("}"):
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            return text
    return text
