"""Runs the generated Incident Correlation search over findings written by the test, at chosen times, as the
scheduler would (same engine, same KV store scratch between runs)."""
from pathlib import Path

import splengine
from replay.savedsearches import load_saved_searches

ROOT = Path(__file__).resolve().parents[2]
INCIDENT_SEARCH = "AWS Cryptomining - Incident Correlation"
ACCOUNT = "111122223333"
HOUR = 3600


def _spl_value(value):
    return str(value) if isinstance(value, (int, float)) else '"' + str(value).replace('"', '\\"') + '"'


class Correlation:
    def __init__(self, scratch):
        conf = {s.name: s for s in load_saved_searches(ROOT / "default" / "savedsearches.conf")}
        self.search = conf[INCIDENT_SEARCH].search
        self.engine = splengine.Engine(ROOT, scratch)
        self.count = 0

    def record(self, detection, recorded, *, finding_time=None, severity="high", tactics="impact", key=None,
               principal=None, instances="", src_ips="", regions="us-east-1", cost=0, account=ACCOUNT, **extra):
        """Write one finding as a detection's findings step would (`extra`: further finding fields, e.g. the
        usage and billed spend of a billing finding)."""
        self.count += 1
        finding = {"finding_id": f"f{self.count}", "recorded": recorded, "finding_time": finding_time or recorded - 600,
                   "last_time": finding_time or recorded - 600, "detection": detection, "severity": severity,
                   "risk_score": 50, "account": account, "principals": principal or "", "access_key": key or "",
                   "instance_ids": instances, "src_ips": src_ips, "regions": regions, "indicator": detection,
                   "cost_per_hour": cost, "mitre": "T1496", "tactics": tactics, "summary": f"{detection} finding", **extra}
        assigns = ", ".join(f"{name}={_spl_value(value)}" for name, value in finding.items() if value != "")
        self.engine.search(f"| makeresults | eval {assigns} | fields - _time "
                           "| outputlookup append=true aws_cryptomining_findings")

    def run(self, now):
        """The incident alert rows of one scheduled run at `now` (per-result alert: one row, one alert)."""
        return self.engine.search(self.search, now=now)

    def state(self):
        return {row["incident_id"]: row for row in self.engine.search("| inputlookup aws_cryptomining_incidents")}
