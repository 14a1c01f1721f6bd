"""Conformance cases for the lookup page's examples (issue 20): help.splunk.com, SPL Search Reference 9.4,
search-commands/lookup, with the page's tables as CSV lookups. "documented": the page's example with the
output it shows; "derived": only what the page's text states."""
import pytest

from splengine import Engine

LOOKUP = "https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/search-commands/lookup"

TRANSFORMS = """
[usertogroup]
filename = usertogroup.csv

[prices_lookup]
filename = prices.csv

[vendors_lookup]
filename = vendors.csv

[ipv6test]
filename = ipv6test.csv
match_type = CIDR(ip)
"""


@pytest.fixture
def engine(tmp_path):
    app = tmp_path / "app"
    (app / "default").mkdir(parents=True)
    (app / "lookups").mkdir()
    (app / "default" / "transforms.conf").write_text(TRANSFORMS)
    (app / "lookups" / "usertogroup.csv").write_text("user,group\nalice,admins\nbob,users\n")
    # the extended example's prices.csv and vendors.csv rows as the page shows them
    (app / "lookups" / "prices.csv").write_text(
        "productId,product_name,price,sale_price,Code\nDB-SG-G01,Mediocre Kingdoms,24.99,19.99,A\n"
        "DC-SG-G02,Dream Crusher,39.99,24.99,B\nFS-SG-G03,Final Sequel,24.99,16.99,C\n"
        "WC-SH-G04,World of Cheese,24.99,19.99,D\n")
    (app / "lookups" / "vendors.csv").write_text(
        "Vendor,VendorCity,VendorID,VendorLatitude,VendorLongitude,Vendor StateProvince,Vendor Country,Weight\n"
        "Anchorage Gaming,Anchorage,1001,61.17440033,-149.9960022,Alaska,United States,3\n"
        "Games of Salt Lake,Salt Lake City,1002,40.78839874,-111.9779968,Utah,United States,3\n")
    # example 2: "ip,expected 2001:0db8:ffff:ffff:ffff:ffff:ffff:ff00/120,true"
    (app / "lookups" / "ipv6test.csv").write_text("ip,expected\n2001:0db8:ffff:ffff:ffff:ffff:ffff:ff00/120,true\n")
    return Engine(app, tmp_path / "scratch")


def test_basic_example_user_as_local_user(engine):
    """Derived (basic example 1): the group of the lookup row whose user matches local_user is written to
    user_group; a non-matching event gets none."""
    rows = engine.search('| makeresults count=2 | streamstats count | eval local_user=if(count=1, "bob", "zed") '
                         "| lookup usertogroup user as local_user OUTPUT group as user_group", now=0)
    assert [r.get("user_group") for r in rows] == ["users", None]


def test_extended_example_prices_and_vendors(engine):
    """Derived (extended example 1): stats count by Code VendorID | lookup prices_lookup Code OUTPUTNEW
    product_name | table product_name VendorID count | lookup vendors_lookup VendorID (every vendors.csv field)."""
    events = [{"_raw": r, "_time": 10 - i, "sourcetype": "vendor_sales", "VendorID": v, "Code": c}
              for i, (r, v, c) in enumerate([("a", "1001", "B"), ("b", "1001", "B"), ("c", "1002", "C"),
                                             ("d", "5036", "F")])]
    rows = engine.search("sourcetype=vendor_* | stats count by Code VendorID | lookup prices_lookup Code OUTPUTNEW "
                         "product_name | table product_name VendorID count | lookup vendors_lookup VendorID",
                         events=events, now=0)
    by = {r["VendorID"]: r for r in rows}
    assert by["1001"]["product_name"] == "Dream Crusher" and by["1001"]["count"] == 2
    assert by["1001"]["Vendor"] == "Anchorage Gaming" and by["1001"]["Vendor Country"] == "United States"
    assert by["1002"]["product_name"] == "Final Sequel" and by["1002"]["VendorCity"] == "Salt Lake City"
    assert "product_name" not in by["5036"] and "Vendor" not in by["5036"]


def test_ipv6_cidr_example(engine):
    """Documented (example 2): 2001:0db8:ffff:ffff:ffff:ffff:ffff:ff99 is in the /120 subnet -> expected=true."""
    row, = engine.search('| makeresults | eval ip="2001:0db8:ffff:ffff:ffff:ffff:ffff:ff99" '
                         "| lookup ipv6test ip OUTPUT expected", now=0)
    assert row["expected"] == "true"
