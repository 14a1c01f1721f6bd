"""Recognise the AWS log type of one item and build the indexed event(s) Splunk would hold.

Sourcetypes are those of the Splunk Add-on for AWS, as named in default/macros.conf.
`_time` comes from the field the Add-on's timestamp extraction uses:
- aws:cloudtrail: `eventTime` (Add-on props TIME_PREFIX "eventTime");
- aws:cloudwatchlogs:vpcflow: `start` (the first timestamp of the record);
- aws:cloudwatchlogs (Route 53 Resolver query logs): `query_timestamp`; (EKS control-plane audit log events,
  Kubernetes `audit.k8s.io` Event objects): `requestReceivedTimestamp`;
- aws:cloudwatch:guardduty: the EventBridge envelope's `time` when wrapped, else the finding's
  `updatedAt` (a finding is re-sent each time it is updated; that update time is the event's time);
- aws:cloudwatch (CloudWatch metric datapoints, the Add-on's metric event: metric_name, metric_dimensions,
  Average/Maximum/...): `timestamp`, epoch milliseconds or ISO 8601;
- aws:billing:cur (Cost and Usage Report CSV rows): `lineItem/UsageStartDate` (see billing.py);
- aws:sqs (notifications read from an SQS queue: an EventBridge event such as Cost Anomaly Detection's
  "Anomaly Detected", or an SNS envelope): the event's `time`, the SNS envelope's `Timestamp`.
"""
import orjson

from . import awscli, billing, vpcflow
from .reader import Item, ReadError, array_items
from .timeparse import iso_to_epoch

CLOUDTRAIL = "aws:cloudtrail"
VPCFLOW = "aws:cloudwatchlogs:vpcflow"
RESOLVER = "aws:cloudwatchlogs"
GUARDDUTY = "aws:cloudwatch:guardduty"
CLOUDWATCH = "aws:cloudwatch"
BILLING_CUR = "aws:billing:cur"
SQS = "aws:sqs"
SOURCETYPES = (CLOUDTRAIL, VPCFLOW, RESOLVER, GUARDDUTY, CLOUDWATCH, BILLING_CUR, SQS)
_TIME_FIELD = {CLOUDTRAIL: "eventTime", RESOLVER: "query_timestamp", GUARDDUTY: "updatedAt",
               CLOUDWATCH: "timestamp", SQS: "time"}


def detect(value):
    """Sourcetype of one parsed JSON event, or None."""
    if not isinstance(value, dict):
        return None
    if "eventName" in value and "eventSource" in value:
        return CLOUDTRAIL
    if value.get("detail-type") == "GuardDuty Finding" and isinstance(value.get("detail"), dict):
        return GUARDDUTY
    if "schemaVersion" in value and "type" in value and (
            ":guardduty:" in str(value.get("arn", "")) or _service_name(value) == "guardduty"):
        return GUARDDUTY
    if "query_name" in value and "query_timestamp" in value:
        return RESOLVER
    if _is_kubernetes_audit(value):
        return RESOLVER  # EKS control-plane audit logs reach Splunk through CloudWatch Logs too
    if "metric_name" in value and "metric_dimensions" in value:
        return CLOUDWATCH
    if value.get("source") == "aws.ce" and isinstance(value.get("detail"), dict):
        return SQS
    if value.get("Type") == "Notification" and "TopicArn" in value and "Message" in value:
        return SQS
    return None


def _is_kubernetes_audit(value):
    return value.get("kind") == "Event" and str(value.get("apiVersion", "")).startswith("audit.k8s.io/")


def _service_name(value):
    service = value.get("service")
    return service.get("serviceName") if isinstance(service, dict) else None


def event_time(sourcetype, value):
    """_time of a JSON event of the given sourcetype; raises ValueError naming the field."""
    if sourcetype == GUARDDUTY and isinstance(value.get("detail"), dict) and "time" in value:
        field = "time"
    elif sourcetype == RESOLVER and _is_kubernetes_audit(value):
        field = "requestReceivedTimestamp"
    elif sourcetype == SQS and "Timestamp" in value and "time" not in value:
        field = "Timestamp"
    else:
        field = _TIME_FIELD.get(sourcetype)
    if field is None:
        raise ValueError(f"sourcetype {sourcetype} has no JSON time field")
    if field not in value:
        raise ValueError(f"missing {field} (the _time field of {sourcetype})")
    if sourcetype == CLOUDWATCH and isinstance(value[field], (int, float)) and not isinstance(value[field], bool):
        return value[field] / 1000 if value[field] % 1000 else value[field] // 1000
    try:
        return iso_to_epoch(value[field])
    except ValueError:
        raise ValueError(f"{field} is not an ISO 8601 time: {value[field]!r}") from None


class FileState:
    """Per-file parsing state: the flow-log format declared by the last header line."""

    def __init__(self, sourcetype=None, flow_format=None):
        self.sourcetype = sourcetype
        self.flow_format = flow_format
        self.cur_header = None


def events_of(item, state):
    """Yield (raw, time, sourcetype, extra_fields) for one Item; raises ReadError when unusable (an AWS CLI output
    yields the ReadError of each unusable entry instead, and goes on with the next)."""
    if not item.is_json:
        yield from _text_events(item.line, item.raw, state)
        return
    value = item.value
    if isinstance(value, list):
        for element in array_items('{"_":' + item.raw + "}", "_"):
            element.line += item.line - 1
            yield from events_of(element, state)
        return
    if not isinstance(value, dict):
        raise ReadError(item.line, f"a JSON {type(value).__name__} is not an event")
    cli_key = awscli.container_key(value)
    if cli_key is not None:
        for record in awscli.records(item, cli_key):
            if isinstance(record, ReadError):
                yield record
                continue
            try:
                yield from events_of(record, state)
            except ReadError as exc:   # one bad entry of a CLI output: reported, the others are kept
                yield exc
        return
    for key in ("Records", "findings"):
        if isinstance(value.get(key), list) and len(value) == 1:
            for element in array_items(item.raw, key):
                element.line += item.line - 1
                yield from events_of(element, state)
            return
    if isinstance(value.get("logEvents"), list) and "logGroup" in value:
        for element in value["logEvents"]:
            yield from _message_events(item.line, element, state)
        return
    if set(value) == {"message"} or ("message" in value and "timestamp" in value and len(value) <= 3):
        yield from _message_events(item.line, value, state)
        return
    sourcetype = state.sourcetype or detect(value)
    if sourcetype is None:
        raise ReadError(item.line, "unrecognised event: not CloudTrail, Route 53 Resolver, GuardDuty, CloudWatch metric or SQS JSON "
                                   "(give --sourcetype to force one)")
    if sourcetype == VPCFLOW:
        raise ReadError(item.line, "a JSON object is not a VPC flow-log record")
    try:
        yield item.raw, event_time(sourcetype, value), sourcetype, None
    except ValueError as exc:
        raise ReadError(item.line, str(exc)) from None


def _message_events(line, wrapper, state):
    """CloudWatch Logs wrapping ({"message": ...}): the message text is what the Add-on indexes."""
    message = wrapper.get("message") if isinstance(wrapper, dict) else None
    if not isinstance(message, str):
        raise ReadError(line, "CloudWatch Logs record without a string 'message'")
    text = message.strip()
    if text.startswith("{"):
        try:
            inner = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            raise ReadError(line, f"invalid JSON in 'message': {exc}") from None
        yield from events_of(Item(line, text, inner), state)
    else:
        yield from _text_events(line, message, state)


def _text_events(line, text, state):
    if billing.is_header(text) or state.cur_header is not None:
        yield from _cur_events(line, text, state)
        return
    if state.sourcetype not in (None, VPCFLOW):
        raise ReadError(line, f"text line is not {state.sourcetype} JSON")
    try:
        if vpcflow.is_header(text):
            state.flow_format = vpcflow.parse_format(text)
            return
        if not vpcflow.looks_like_record(text):
            raise ReadError(line, "unrecognised text line (not a VPC flow-log record or header)")
        fields = vpcflow.extract(text, state.flow_format)
        yield text, vpcflow.start_time(fields), VPCFLOW, fields
    except vpcflow.FlowFormatError as exc:
        raise ReadError(line, str(exc)) from None


def _cur_events(line, text, state):
    """Cost and Usage Report CSV: the header line sets the columns of the rows below it."""
    if state.sourcetype not in (None, BILLING_CUR):
        raise ReadError(line, f"text line is not {state.sourcetype} JSON")
    if billing.is_header(text):
        state.cur_header = billing.parse_header(text)
        return
    try:
        fields = billing.extract(text, state.cur_header)
        started = fields.get(billing.time_field())
        if not started:
            raise billing.CurFormatError(f"missing {billing.TIME_COLUMN} (the _time field of {BILLING_CUR})")
        try:
            time = iso_to_epoch(started)
        except ValueError:
            raise billing.CurFormatError(f"{billing.TIME_COLUMN} is not an ISO 8601 time: {started!r}") from None
    except billing.CurFormatError as exc:
        raise ReadError(line, str(exc)) from None
    yield text, time, BILLING_CUR, fields
