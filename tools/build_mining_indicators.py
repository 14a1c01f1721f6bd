"""Build lookups/mining_indicators.csv from the permissively licensed intel merge (../shared/intel/merged).

Input: merged/mining_indicators.csv (maltrail MIT, mining-pool-domain-intel Apache-2.0, nocoin MIT, panther
Apache-2.0, ET Open BSD, mempool MIT; no GPL/AGPL/DRL source). The output has one row per match key, which is
what the `miningpool` command indexes:
  domain  -> (indicator)                 exact or suffix (by labels) match
  ip      -> (indicator)
  ip_port -> (indicator, port)
  port    -> (port)                      low-confidence, only used with portonly=true
Several input rows for one key (same host from several sources or categories) are merged: the strongest
category wins, sources and licences are unioned, confirmation by more than one source raises confidence.
Pool names missing in a row are taken from the pool whose website/endpoint domain is a label suffix of it.

Usage: python3 tools/build_mining_indicators.py [--intel ../shared/intel] [--out lookups/mining_indicators.csv]
"""
import argparse
import csv
import ipaddress
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COLUMNS = ["indicator", "indicator_type", "port", "match", "category", "coin", "pool_name", "confidence",
           "source", "license", "notes"]
CATEGORY_RANK = {"mining_pool": 0, "miner_malware_infra": 1, "browser_miner": 2, "pool_website": 3}
CONFIDENCE_RANK = {"high": 0, "medium": 1, "low": 2}
# Port-only indicators: ports used by at least PORT_MIN_HOSTS distinct pool endpoints in the intel, minus
# general-purpose service ports and crypto-node p2p ports (8333 Bitcoin, 19335 Litecoin testnet), which
# are not stratum and would flag ordinary traffic.
PORT_MIN_HOSTS = 10
PORT_EXCLUDED = {8080, 8888, 8333, 19335, 6060, 8443, 9000, 8000}


def _confidence(row, n_sources):
    category = row["category"]
    if category == "pool_website":
        base = "low"
    elif category == "mining_pool":
        base = "medium" if row["confidence"] == "candidate" else "high"
    else:  # miner malware infrastructure, browser miners: IPs and domains re-used by shared hosting
        base = "medium"
    if n_sources > 1 and base == "medium":
        return "high"
    return base


def _key(row):
    kind = row["indicator_type"]
    return (kind, row["indicator"], row["port"] if kind == "ip_port" else "")


def _is_global_ip(text):
    try:
        return ipaddress.ip_address(text).is_global
    except ValueError:
        return False


def merge(rows):
    """One output row per match key."""
    groups = defaultdict(list)
    for row in rows:
        if row["indicator_type"] in ("ip", "ip_port") and not _is_global_ip(row["indicator"]):
            continue
        groups[_key(row)].append(row)
    merged = {}
    for key, group in groups.items():
        group.sort(key=lambda r: CATEGORY_RANK[r["category"]])
        best = group[0]
        sources = sorted({s for r in group for s in r["sources"].split(";") if s})
        licences = sorted({s for r in group for s in r["source_licenses"].split(";") if s})
        kind, indicator, port = key
        notes = sorted({r["notes"] for r in group if r["notes"]})
        merged[key] = {
            "indicator": indicator, "indicator_type": kind, "port": port,
            "match": "suffix" if any(r["match"] == "suffix" for r in group) else "exact",
            "category": best["category"],
            "coin": next((r["coin"] for r in group if r["coin"]), ""),
            "pool_name": next((r["pool_name"] for r in group if r["pool_name"]), ""),
            "confidence": min((_confidence(r, len(sources)) for r in group), key=CONFIDENCE_RANK.get),
            "source": ";".join(sources), "license": ";".join(licences), "notes": ";".join(notes)[:200],
        }
    return merged


def fill_pool_names(merged):
    """Name pools for rows that lack one, from the pool whose domain is a label suffix of the indicator."""
    names = {}
    for (kind, indicator, _), row in merged.items():
        if kind == "domain" and row["pool_name"] and row["category"] in ("mining_pool", "pool_website"):
            names.setdefault(indicator, row["pool_name"])
    for (kind, indicator, _), row in merged.items():
        if kind != "domain" or row["pool_name"] or row["category"] != "mining_pool":
            continue
        labels = indicator.split(".")
        for i in range(1, len(labels) - 1):
            name = names.get(".".join(labels[i:]))
            if name:
                row["pool_name"] = name
                break


def port_rows(rows):
    hosts = defaultdict(set)
    for row in rows:
        if row["port"] and row["category"] == "mining_pool":
            hosts[int(row["port"])].add(row["indicator"])
    out = []
    for port, seen in sorted(hosts.items()):
        if len(seen) >= PORT_MIN_HOSTS and port >= 1024 and port not in PORT_EXCLUDED:
            out.append({
                "indicator": str(port), "indicator_type": "port", "port": str(port), "match": "exact",
                "category": "mining_pool", "coin": "", "pool_name": "", "confidence": "low",
                "source": "derived: port of >= %d pool endpoints in the intel" % PORT_MIN_HOSTS,
                "license": "MIT;Apache-2.0", "notes": f"{len(seen)} pool endpoints use this port",
            })
    return out


def build(intel_dir: Path):
    with open(intel_dir / "merged" / "mining_indicators.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    merged = merge(rows)
    fill_pool_names(merged)
    out = sorted(merged.values(), key=lambda r: (r["indicator_type"], r["indicator"], r["port"]))
    return out + port_rows(rows)


def write(rows, path: Path):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--intel", type=Path, default=ROOT.parent / "shared" / "intel")
    parser.add_argument("--out", type=Path, default=ROOT / "lookups" / "mining_indicators.csv")
    args = parser.parse_args(argv)
    rows = build(args.intel)
    write(rows, args.out)
    counts = defaultdict(int)
    for row in rows:
        counts[(row["indicator_type"], row["category"])] += 1
    print(f"wrote {len(rows)} rows to {args.out}")
    for (kind, category), n in sorted(counts.items()):
        print(f"  {kind:8} {category:20} {n}")


if __name__ == "__main__":
    main()
