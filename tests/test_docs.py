"""Every Markdown document the code and the documents cite is in the repository.

Docstrings and comments of the Python modules under ``simulator/`` and ``experiments/``, the
package's other text files (scenario YAML, page templates), ``README.md`` and
``docs/*.md`` name documents (``docs/MODEL.md``, ``README.md``, ``../shared/DESIGN.md``).
Each must resolve to a file inside the repository: against the repository's root, or, in a
Markdown document, against its own folder as a relative link would. A file that exists only
beside the repository on the machine where the citation was written counts as missing.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CODE = ("simulator", "experiments")  # Python docstrings and comments, other text files whole
TEXT_SUFFIXES = {".yaml", ".yml", ".j2", ".md", ".html", ".css", ".js", ".txt", ".toml"}

# a path ending in .md, optionally with leading ./ or ../, not part of a longer path or URL
CITATION = re.compile(r"(?<![\w/.\-])((?:\.\.?/)*(?:[\w\-]+/)*[\w\-]+(?:\.[\w\-]+)*\.md)\b")


def _python_texts(path: Path) -> Iterator[tuple[int, str]]:
    """(line, text) of every comment and docstring of a Python file."""
    source = path.read_text(encoding="utf-8")
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            yield token.start[0], token.string
    for node in ast.walk(ast.parse(source, str(path))):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if (
                body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)
            ):
                yield body[0].lineno, body[0].value.value


def _texts(root: Path) -> Iterator[tuple[Path, int, str]]:
    """(file, first line, text) of everything that may cite a document."""
    for folder in CODE:
        for path in sorted((root / folder).rglob("*")):
            if not path.is_file() or "__pycache__" in path.parts:
                continue
            if path.suffix == ".py":
                for line, text in _python_texts(path):
                    yield path, line, text
            elif path.suffix in TEXT_SUFFIXES:
                yield path, 1, path.read_text(encoding="utf-8")
    for path in [root / "README.md", *sorted((root / "docs").glob("*.md"))]:
        if path.is_file():
            yield path, 1, path.read_text(encoding="utf-8")


def citations(text: str) -> Iterator[tuple[int, str]]:
    """(line offset within ``text``, cited path) of every Markdown path in ``text``."""
    for match in CITATION.finditer(text):
        yield text.count("\n", 0, match.start()), match.group(1)


def resolves(cited: str, citing: Path, root: Path) -> bool:
    """Whether ``cited`` names a file inside ``root`` (from the root, or from a Markdown
    document's own folder)."""
    bases = [root] + ([citing.parent] if citing.suffix == ".md" else [])
    for base in bases:
        target = (base / cited).resolve()
        if target.is_relative_to(root.resolve()) and target.is_file():
            return True
    return False


def missing_citations(root: Path = ROOT) -> list[str]:
    """``file:line: cited`` for every cited Markdown document not in the repository."""
    bad = []
    for path, first, text in _texts(root):
        for offset, cited in citations(text):
            if not resolves(cited, path, root):
                bad.append(f"{path.relative_to(root)}:{first + offset}: {cited}")
    return bad


def test_every_cited_document_is_in_the_repository() -> None:
    bad = missing_citations()
    assert not bad, "documents cited but not in the repository:\n" + "\n".join(bad)


def test_a_missing_or_outside_document_is_named_with_its_citation(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "simulator" / "model").mkdir(parents=True)
    (root / "docs").mkdir()
    (root / "experiments").mkdir()
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "DESIGN.md").write_text("outside the repository\n")
    (root / "docs" / "MODEL.md").write_text(
        "# Model\n\nThe design is `../shared/DESIGN.md`; see also [perf](PERFORMANCE.md#x),\n"
        "docs/MODEL.md, https://example.org/docs/GONE.md and a `.md` file.\n"
    )
    (root / "README.md").write_text("See [the model](docs/MODEL.md#1-overview).\n")
    (root / "simulator" / "model" / "m.py").write_text(
        '"""Step order (DESIGN.md)."""\n\n'
        "X = 'NOT_A_CITATION.md'  # code, not a comment: ignored\n"
        "# see docs/GONE.md and docs/MODEL.md\n\n\n"
        "def f():\n"
        '    """As in docs/DECISION.md."""\n'
    )
    (root / "simulator" / "default.yaml").write_text("# fields: docs/MODEL.md\nx: 1\n")
    assert missing_citations(root) == [
        "simulator/model/m.py:4: docs/GONE.md",
        "simulator/model/m.py:1: DESIGN.md",
        "simulator/model/m.py:8: docs/DECISION.md",
        "docs/MODEL.md:3: ../shared/DESIGN.md",
        "docs/MODEL.md:3: PERFORMANCE.md",
    ]
