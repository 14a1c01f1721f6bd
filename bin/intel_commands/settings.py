"""Read Splunk .conf files (layered default/local) and resolve the GeoIP database paths for ipcontext.

File-based on purpose: the command also runs on indexers from the replicated bundle, where the app's conf
files sit beside bin/ and no REST session is needed.
"""
import os

CONF_NAME = "ipcontext.conf"
STANZA = "geoip"
SPLUNK_SHIPPED_CITY_DB = os.path.join("share", "GeoLite2-City.mmdb")


def read_conf(path):
    """{stanza: {key: value}} of one .conf file; settings before any stanza go to `default`."""
    stanzas = {}
    current = stanzas.setdefault("default", {})
    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except (FileNotFoundError, NotADirectoryError):
        return stanzas
    pending = ""
    for raw in lines:
        line = pending + raw.strip()
        if line.endswith("\\"):
            pending = line[:-1]
            continue
        pending = ""
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = stanzas.setdefault(line[1:-1].strip(), {})
        elif "=" in line:
            key, value = line.split("=", 1)
            current[key.strip()] = value.strip()
    return stanzas


def layered(paths, stanza, key):
    """Value of stanza/key from the first file (highest precedence first) that sets it, else ''."""
    for path in paths:
        value = read_conf(path).get(stanza, {}).get(key)
        if value is not None:
            return value
    return ""


def splunk_home(environ=os.environ):
    return environ.get("SPLUNK_HOME", "")


def _expand(value, app_dir, environ):
    value = value.replace("$SPLUNK_HOME", splunk_home(environ)).replace("${SPLUNK_HOME}", splunk_home(environ))
    value = os.path.expanduser(value)
    return value if os.path.isabs(value) else os.path.join(app_dir, value)


def database_paths(app_dir, environ=os.environ):
    """(city_path, city_origin, asn_path or None): where each database must be, and which setting said so.

    City: the app's ipcontext.conf [geoip] city_db_path, else limits.conf [iplocation] db_path
    (system local, then system default), else $SPLUNK_HOME/share/GeoLite2-City.mmdb as Splunk ships it.
    ASN: ipcontext.conf [geoip] asn_db_path, optional.
    """
    app_confs = [os.path.join(app_dir, "local", CONF_NAME), os.path.join(app_dir, "default", CONF_NAME)]
    city = layered(app_confs, STANZA, "city_db_path")
    origin = f"{CONF_NAME} [{STANZA}] city_db_path"
    home = splunk_home(environ)
    if not city and home:
        limits = [os.path.join(home, "etc", "system", d, "limits.conf") for d in ("local", "default")]
        city = layered(limits, "iplocation", "db_path")
        origin = "limits.conf [iplocation] db_path"
    if not city and home:
        city = os.path.join(home, SPLUNK_SHIPPED_CITY_DB)
        origin = "Splunk's bundled database ($SPLUNK_HOME/share/GeoLite2-City.mmdb)"
    if not city:
        return None, "no city_db_path in ipcontext.conf and SPLUNK_HOME is not set", None
    asn = layered(app_confs, STANZA, "asn_db_path")
    return _expand(city, app_dir, environ), origin, (_expand(asn, app_dir, environ) if asn else None)
