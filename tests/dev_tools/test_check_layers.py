"""tools/check_layers.py (run by `dev.py lint`): the tree passes, and each rule fails a small tree breaking it."""
import textwrap

from tools.check_layers import check

LAYERS = [["pkg.low"], ["pkg.mid"], ["pkg.high"], ["pkg"]]


def tree(tmp_path, files):
    for name, text in {"pkg/__init__.py": "", **files}.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    errors, _ = check(tmp_path, ("pkg",), (), LAYERS)
    return errors


def test_the_repository_has_no_layer_violation():
    errors, imports = check()
    assert errors == []
    assert ("splengine.parser", "splengine.args") in {(i.source, i.target) for i in imports}


def test_downward_imports_pass(tmp_path):
    assert tree(tmp_path, {"pkg/low.py": "X = 1\n", "pkg/mid.py": "from .low import X\n",
                           "pkg/high.py": "from . import mid\nfrom pkg.low import X\n"}) == []


def test_upward_import_fails(tmp_path):
    errors = tree(tmp_path, {"pkg/low.py": "from .high import Y\n", "pkg/mid.py": "", "pkg/high.py": "Y = 1\n"})
    assert errors == ["pkg/low.py:1: upward import: pkg.low (layer 0) imports pkg.high (layer 2)"]


def test_cycle_hidden_by_a_function_level_import_fails(tmp_path):
    errors = tree(tmp_path, {"pkg/low.py": "", "pkg/mid.py": "from .high import Y\n",
                             "pkg/high.py": "Y = 1\ndef f():\n    from .mid import Z\n"})
    assert "import cycle: pkg.high -> pkg.mid" in errors
    assert "pkg/high.py:3: function-level import of pkg.mid: import it at the top of the module" in errors


def test_private_name_across_modules_fails(tmp_path):
    errors = tree(tmp_path, {"pkg/low.py": "_hidden = 1\n", "pkg/mid.py": "from .low import _hidden\n",
                             "pkg/high.py": "from . import low\nprint(low._hidden)\n"})
    assert sorted(errors) == ["pkg/high.py:2: private name _hidden of pkg.low used",
                              "pkg/mid.py:1: private name _hidden imported from pkg.low"]


def test_module_without_a_layer_fails(tmp_path):
    errors = tree(tmp_path, {"pkg/low.py": "", "pkg/mid.py": "", "pkg/high.py": "", "pkg/extra.py": ""})
    assert errors == ["pkg/extra.py: module pkg.extra has no layer: add it to LAYERS in tools/check_layers.py"]
