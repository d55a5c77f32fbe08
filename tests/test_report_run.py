"""`settlesync report` and `settlesync run`: papermill runs, recorded results, offline HTML."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import nbformat
import pytest

from settlesync_nb.cli import main
from settlesync_nb.demo import DemoDataSet, write_demo
from settlesync_nb.notebook import read_results
from settlesync_nb.notebook.runner import NOTEBOOKS

SECRET = "s3cr3t-Pa55word"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoDataSet:
    return write_demo(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def report_run(tmp_path_factory: pytest.TempPathFactory, demo: DemoDataSet) -> tuple[int, Path]:
    """One report on the demo data, with secrets in the environment that must not leak."""
    out = tmp_path_factory.mktemp("report")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SETTLESYNC_DB", f"postgresql+psycopg://reviewer:{SECRET}@127.0.0.1/settlesync")
        env.setenv("NETSUITE_TOKEN_SECRET", SECRET)
        code = main(
            ["report", "--amazon", *map(str, demo.amazon), "--netsuite", *map(str, demo.netsuite), "--out", str(out)]
        )
    return code, out


def test_report_exits_1_and_leaves_every_file(report_run: tuple[int, Path]) -> None:
    """The demo report has errors (exit 1) and leaves the notebook, the HTML and the reconcile files."""
    code, out = report_run
    assert code == 1
    names = {p.name for p in out.iterdir()}
    assert {
        "02_reconciliation_report.ipynb",
        "report.html",
        "discrepancies.csv",
        "test_report.json",
        "settlement_summary.csv",
    } <= names


def test_recorded_results_match_the_json_report(report_run: tuple[int, Path], demo: DemoDataSet) -> None:
    """The notebook's recorded results agree with test_report.json and the planted data."""
    _, out = report_run
    results = read_results(out / "02_reconciliation_report.ipynb")
    assert results is not None
    written = json.loads((out / "test_report.json").read_text(encoding="utf-8"))
    assert results["status"] == written["status"] == "Errors"
    assert results["counts"] == written["counts"]
    assert demo.expected is not None
    planted = json.loads(demo.expected.read_text(encoding="utf-8"))["discrepancies"]
    assert sum(results["counts"].values()) == len(planted)


class _Tags(HTMLParser):
    """Collects every tag's attributes and the text of inline scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.attrs: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attrs.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False if tag == "script" else self._in_script

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def test_html_is_offline_with_plotly_once_and_no_code(report_run: tuple[int, Path]) -> None:
    """The HTML loads nothing from the network, embeds plotly.js once and shows no code by default."""
    _, out = report_run
    page = (out / "report.html").read_text(encoding="utf-8")
    tags = _Tags()
    tags.feed(page)
    external = [
        (t, a)
        for t, a in tags.attrs
        if t in {"script", "link", "img", "iframe"}
        and re.match(r"(https?:)?//", str(a.get("src") or a.get("href") or ""))
    ]
    assert external == []
    assert not any(t == "script" and a.get("src") for t, a in tags.attrs)
    library = [s for s in tags.scripts if "plotly.js v" in s]
    assert len(library) == 1
    others = "".join(s for s in tags.scripts if "plotly.js v" not in s)
    assert not re.search(r"""(import|fetch|src\s*=)\s*\(?["']https?://""", others)
    assert page.count("Plotly.newPlot(") >= 5
    assert "run_report" not in page  # no code cells
    assert "Settlement test report: Errors" in page


def test_secrets_from_the_environment_never_reach_outputs(report_run: tuple[int, Path]) -> None:
    """No output file contains a secret that was in the environment during the run."""
    _, out = report_run
    for path in out.iterdir():
        assert SECRET not in path.read_text(encoding="utf-8", errors="replace"), path.name


def test_with_code_shows_the_code(tmp_path: Path, demo: DemoDataSet) -> None:
    """--with-code keeps the code cells in the HTML."""
    out = tmp_path / "r"
    assert (
        main(
            [
                "report",
                "--amazon",
                *map(str, demo.amazon),
                "--netsuite",
                *map(str, demo.netsuite),
                "--out",
                str(out),
                "--with-code",
                "--tolerance",
                "0.01",
            ]
        )
        == 1
    )
    assert "run_report" in (out / "report.html").read_text(encoding="utf-8")
    assert json.loads((out / "test_report.json").read_text(encoding="utf-8"))["settings"]["tolerance"] == "0.01"


def test_missing_input_exits_2_before_running(
    tmp_path: Path, demo: DemoDataSet, capsys: pytest.CaptureFixture[str]
) -> None:
    """A missing report file is refused with exit 2 and no notebook is executed."""
    code = main(
        [
            "report",
            "--amazon",
            str(tmp_path / "nope.txt"),
            "--netsuite",
            *map(str, demo.netsuite),
            "--out",
            str(tmp_path / "r"),
        ]
    )
    assert code == 2
    assert "nope.txt: file not found" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()


def test_bad_input_inside_the_notebook_exits_2(
    tmp_path: Path, demo: DemoDataSet, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file the loaders refuse fails its cell as bad input: exit 2, the cell named, the partial notebook kept."""
    bad = tmp_path / "bad.txt"
    bad.write_text("not\ta\treport\n", encoding="utf-8")
    code = main(
        [
            "run",
            "02_reconciliation_report",
            "--out",
            str(tmp_path / "r"),
            "-p",
            "amazon_reports",
            json.dumps([str(bad)]),
            "-p",
            "netsuite_exports",
            json.dumps([str(p) for p in demo.netsuite]),
        ]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "bad.txt: is not a settlement report" in err and "cell" in err
    assert (tmp_path / "r" / "02_reconciliation_report.ipynb").is_file()


def test_run_refuses_unknown_parameters(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown parameter name is refused with the list of valid ones."""
    code = main(["run", "02_reconciliation_report", "--out", str(tmp_path), "-p", "tolerence", "0.01"])
    assert code == 2
    err = capsys.readouterr().err
    assert "unknown parameter(s) tolerence" in err and "tolerance (str)" in err


def test_failing_cell_names_the_cell_and_keeps_the_partial_notebook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A cell that raises gives exit 3, a message naming the cell, and the executed-so-far notebook."""
    source = tmp_path / "broken.ipynb"
    node = nbformat.v4.new_notebook()
    node.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell('answer: str = "42"  # what to print')
    params.metadata["tags"] = ["parameters"]
    node.cells = [params, nbformat.v4.new_code_cell("print(answer)"), nbformat.v4.new_code_cell("1 / 0")]
    nbformat.write(node, str(source))
    code = main(["run", str(source), "--out", str(tmp_path / "r"), "-p", "answer", "0012345"])
    assert code == 3
    err = capsys.readouterr().err
    assert "cell 3 ('1 / 0') failed with ZeroDivisionError" in err
    executed = nbformat.read(str(tmp_path / "r" / "broken.ipynb"), as_version=4)
    printed = next(c for c in executed.cells if c.source == "print(answer)")
    assert printed.outputs[0]["text"] == "0012345\n"  # text parameters stay text


def test_params_file_and_preset(tmp_path: Path, demo: DemoDataSet) -> None:
    """A YAML params file feeds the run; a named preset is read from templates/presets."""
    params = tmp_path / "p.yaml"
    params.write_text("tolerance: '5.00'\n", encoding="utf-8")
    code = main(
        [
            "run",
            "02_reconciliation_report",
            "--out",
            str(tmp_path / "r"),
            "--params",
            str(params),
            "-p",
            "output_dir",
            str(tmp_path / "files"),
        ]
    )
    assert code == 1
    written: dict[str, Any] = json.loads((tmp_path / "files" / "test_report.json").read_text(encoding="utf-8"))
    assert written["settings"]["tolerance"] == "5.00"
    assert (
        main(
            [
                "report",
                "--amazon",
                *map(str, demo.amazon),
                "--netsuite",
                *map(str, demo.netsuite),
                "--out",
                str(tmp_path / "p"),
                "--preset",
                "nope",
            ]
        )
        == 2
    )


def test_batch_writes_one_report_per_file_and_an_index(tmp_path: Path, demo: DemoDataSet) -> None:
    """--batch runs the report per settlement file and links them from index.html."""
    folder = tmp_path / "in"
    folder.mkdir()
    for path in demo.amazon[:2]:
        (folder / path.name).write_bytes(path.read_bytes())
    out = tmp_path / "out"
    code = main(["report", "--batch", str(folder), "--netsuite", *map(str, demo.netsuite), "--out", str(out)])
    assert code == 1
    index = (out / "index.html").read_text(encoding="utf-8")
    for path in demo.amazon[:2]:
        assert path.name in index
    assert index.count("report.html") == 2
    assert len(list(out.glob("*/report.html"))) == 2


def test_source_notebooks_are_never_written(report_run: tuple[int, Path]) -> None:
    """Runs write into the output folder; the committed notebook stays without outputs."""
    node = nbformat.read(str(NOTEBOOKS / "02_reconciliation_report.ipynb"), as_version=4)
    assert all(not c.get("outputs") for c in node.cells if c.cell_type == "code")
