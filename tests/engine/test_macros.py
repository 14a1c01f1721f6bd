"""Search macros: macros.conf stanzas name / name(N), args, $arg$, nesting, local overrides, errors.

https://help.splunk.com/en/data-management/splunk-enterprise-admin-manual/10.0/10.0.0-configuration-file-reference/macros.conf
https://help.splunk.com/splunk-enterprise/manage-knowledge-objects/knowledge-management-manual/9.0/search-macros/define-search-macros-in-settings
"""
import pytest

from splengine import run_search
from splengine.errors import SplSyntaxError
from splengine.macros import MacroLibrary

ROWS = [{"_raw": "x", "_time": 2, "index": "aws", "sourcetype": "aws:cloudtrail", "n": "5"},
        {"_raw": "y", "_time": 1, "index": "other", "sourcetype": "aws:cloudtrail", "n": "50"}]


@pytest.fixture
def app(tmp_path):
    (tmp_path / "default").mkdir()
    (tmp_path / "default" / "macros.conf").write_text(
        "[idx]\ndefinition = index=aws\n\n"
        "[ct]\ndefinition = `idx` sourcetype=\"aws:cloudtrail\"\n\n"
        "[big(1)]\nargs = limit\ndefinition = n>$limit$\n\n"
        "[between(2)]\nargs = lo, hi\ndefinition = n>=$lo$ n<=$hi$\n\n"
        "[loop]\ndefinition = `loop`\n")
    return tmp_path


def test_plain_and_nested_macros(app):
    assert [r["_raw"] for r in run_search("`ct`", events=ROWS, app_dir=app, now=10)] == ["x"]


def test_macro_with_arguments(app):
    assert [r["_raw"] for r in run_search("`big(10)`", events=ROWS, app_dir=app, now=10)] == ["y"]
    assert [r["_raw"] for r in run_search("`between(1, 6)`", events=ROWS, app_dir=app, now=10)] == ["x"]


def test_local_overrides_default(app):
    (app / "local").mkdir()
    (app / "local" / "macros.conf").write_text("[idx]\ndefinition = index=other\n")
    assert [r["_raw"] for r in run_search("`ct`", events=ROWS, app_dir=app, now=10)] == ["y"]


def test_api_macros_override(app):
    got = run_search("`idx`", events=ROWS, app_dir=app, now=10, macros={"idx": "index=*"})
    assert len(got) == 2


def test_unknown_macro_and_wrong_argument_count_are_clear_errors(app):
    with pytest.raises(SplSyntaxError, match=r"Unknown search macro 'nope' .*\(at position 2\)"):
        run_search("a `nope`", app_dir=app, now=10)
    with pytest.raises(SplSyntaxError, match=r"Unknown search macro 'big\(2\)'.*defined: big\(1\)"):
        run_search("`big(1, 2)`", app_dir=app, now=10)
    with pytest.raises(SplSyntaxError, match="Recursive search macro 'loop'"):
        run_search("`loop`", app_dir=app, now=10)


def test_args_count_must_match_declaration():
    lib = MacroLibrary()
    lib.add("m(2)", {"definition": "$a$", "args": "a"})
    with pytest.raises(SplSyntaxError, match="declares 1 argument"):
        lib.expand("`m(1,2)`")


def test_quoted_arguments_keep_commas_and_comments_are_removed():
    lib = MacroLibrary()
    lib.add("q(1)", {"definition": "x=$v$", "args": "v"})
    assert lib.expand('`q("a,b")`') == 'x="a,b"'
    got = run_search('| makeresults ```a comment with `no_macro` inside``` | eval a=1', now=0)
    assert got[0]["a"] == 1


def test_app_data_source_macros_expand():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    text = MacroLibrary.from_app(root).expand("`aws_cryptomining_cloudtrail`")
    assert 'sourcetype="aws:cloudtrail"' in text


def test_conf_reader_continuation_lines_and_case_sensitive_keys():
    from splengine.conf import parse_conf

    conf = parse_conf("# comment\n[m]\ndefinition = a \\\n  | eval B=1\nArgs = x\n")
    assert conf["m"] == {"definition": "a \n| eval B=1", "Args": "x"}
