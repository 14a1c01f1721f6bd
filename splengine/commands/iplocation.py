"""iplocation: City, Country, Region, lat, lon from a GeoIP2/GeoLite2 City database (.mmdb).

https://help.splunk.com/splunk-cloud-platform/spl-search-reference/10.0.2503/search-commands/iplocation
``allfields=true`` adds Continent, MetroCode and Timezone; ``prefix=`` is prepended to every output field;
``lang=`` picks the names' language (default en). The database is the Engine's ``geoip_db`` (or the
SPLENGINE_GEOIP_DB environment variable). An address that is not in the database, or not an IP address,
gets no fields.
"""
from __future__ import annotations

import ipaddress
import os

import geoip2.database
import geoip2.errors

from ..args import ArgList
from ..errors import SplError
from ..values import mv_values, to_str
from .base import Command, register


def _reader(ctx):
    path = ctx.app.geoip_db or os.environ.get("SPLENGINE_GEOIP_DB")
    if not path:
        raise SplError("iplocation: no GeoIP2 City database configured (Engine geoip_db= or SPLENGINE_GEOIP_DB)")
    key = ("geoip", str(path))
    reader = ctx.app.cache.get(key)
    if reader is None:
        try:
            reader = geoip2.database.Reader(str(path))
        except (OSError, ValueError) as exc:
            raise SplError(f"iplocation: cannot open GeoIP2 database '{path}': {exc}") from None
        ctx.app.cache[key] = reader
    return reader


def _fmt(v) -> str:
    return to_str(v)


@register("iplocation")
class IplocationCommand(Command):
    keeps_columns = True

    def __init__(self, field, prefix, allfields, lang):
        self.field, self.prefix, self.allfields, self.lang = field, prefix, allfields, lang

    @classmethod
    def parse(cls, args: ArgList, ctx) -> IplocationCommand:
        opts = args.take_options({"prefix": "str", "allfields": "bool", "lang": "str"})
        field = args.take_field()[0]
        args.expect_end()
        return cls(field, opts.get("prefix", ""), opts.get("allfields", False), opts.get("lang", "en"))

    def _locate(self, reader, ip: str) -> dict:
        try:
            ipaddress.ip_address(ip)
        except ValueError:
            return {}
        try:
            rec = reader.city(ip)
        except geoip2.errors.AddressNotFoundError:
            return {}
        except (TypeError, AttributeError):
            raise SplError("iplocation: the GeoIP2 database is not a City database") from None
        lang = self.lang

        def name(obj):
            return (obj.names or {}).get(lang) or (obj.names or {}).get("en")

        out = {
            "City": name(rec.city),
            "Country": name(rec.country),
            "Region": name(rec.subdivisions.most_specific) if rec.subdivisions else None,
            "lat": _fmt(rec.location.latitude) if rec.location.latitude is not None else None,
            "lon": _fmt(rec.location.longitude) if rec.location.longitude is not None else None,
        }
        if self.allfields:
            out["Continent"] = name(rec.continent)
            out["MetroCode"] = _fmt(rec.location.metro_code) if rec.location.metro_code is not None else None
            out["Timezone"] = rec.location.time_zone
        return {k: v for k, v in out.items() if v is not None}

    def execute(self, rows, ctx):
        reader = _reader(ctx)
        cache: dict = {}
        for row in rows:
            values = mv_values(row.get(self.field))
            if values:
                ip = to_str(values[0]).strip()
                if ip not in cache:
                    cache[ip] = self._locate(reader, ip)
                for k, v in cache[ip].items():
                    row[self.prefix + k] = v
            yield row
