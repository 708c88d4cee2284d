"""No Python module under ``assistant/`` or ``tools/`` names a company, lab, model, chip or publication of the corpus
in code: such names live in data files (``tools/data/``, the domain pack, a user's vocabulary). Docstrings and
comments and field descriptions may use them as examples; other string literals, regular expressions and identifiers may not.

The names come from the data files themselves (chip table, share table, names vocabulary, the corpus manifest)
plus a list of the corpus's organisations and publications below, so a name added to the data is guarded too.
"""

from __future__ import annotations

import ast
import csv
import re
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# Organisations, labs, products and publications the corpus is about, in both languages (test data).
CORPUS_NAMES = {
    "deepseek", "深度求索", "moonshot", "月之暗面", "kimi", "caixin", "财新", "nvidia", "英伟达", "huawei", "华为", "昇腾",
    "ascend", "cambricon", "寒武纪", "hygon", "海光", "intel", "英特尔", "google", "谷歌", "alibaba", "阿里巴巴", "阿里云",
    "bytedance", "字节跳动", "tencent", "腾讯", "baidu", "百度", "zhipu", "智谱", "qwen", "通义千问", "千问", "llama",
    "minimax", "blackwell", "hopper", "gaudi", "openai", "anthropic", "reuters", "bloomberg", "semianalysis",
    "摩尔线程", "壁仞", "沐曦", "燧原", "天数智芯", "稀宇", "阶跃星辰", "百川", "零一万物", "豆包", "文心一言", "混元", "商汤", "科大讯飞",
    "台积电", "中芯国际", "tsmc", "smic",
}  # fmt: skip


def _data_names() -> set[str]:
    names: set[str] = set()
    vocab = tomllib.loads((REPO / "tools/data/names.toml").read_text(encoding="utf-8"))
    for key in ("name_families", "chip_vendors", "chip_lines"):
        names |= set(vocab[key])
    with (REPO / "tools/data/chips.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            names.add(row["vendor"])
            names |= {a for a in row["aliases"].split("|") if re.search(r"[A-Za-z]\d|\d[A-Za-z]", a)}
    with (REPO / "tools/data/shares.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            names.add(row["vendor"])
            names |= {a for a in row["vendor_aliases"].split("|") if a}
    manifest = tomllib.loads((REPO / "corpus/sources.toml").read_text(encoding="utf-8"))
    for source in manifest["source"]:
        names.add(re.split(r"[\s,(-]", source["publisher"])[0])
    return {n.lower() for n in names if len(n) >= 3 or not n.isascii()}


# Names that are also ordinary words of code ("meta" data) cannot be told apart by a pattern.
ORDINARY_WORDS = {"meta"}
NAMES = sorted((_data_names() | CORPUS_NAMES) - ORDINARY_WORDS)


def _pattern() -> re.Pattern[str]:
    latin = [re.escape(n) for n in NAMES if n.isascii()]
    other = [re.escape(n) for n in NAMES if not n.isascii()]
    return re.compile(rf"(?<![a-z0-9])(?:{'|'.join(latin)})(?![a-z])|{'|'.join(other)}")


def _code_strings(tree: ast.AST) -> list[tuple[int, str]]:
    """String literals (not docstrings or field descriptions) and identifiers of a module, with their lines."""
    docstrings: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    for node in ast.walk(tree):
        # a field's description is its documentation (API docs, tool schemas), like a docstring
        if isinstance(node, ast.keyword) and node.arg == "description":
            docstrings |= {id(n) for n in ast.walk(node.value) if isinstance(n, ast.Constant)}
    out: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            out.append((node.lineno, node.value))
        elif isinstance(node, ast.Name):
            out.append((node.lineno, node.id))
        elif isinstance(node, ast.Attribute):
            out.append((node.lineno, node.attr))
        elif isinstance(node, ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef):
            out.append((node.lineno, node.name))
        elif isinstance(node, ast.arg):
            out.append((node.lineno, node.arg))
        elif isinstance(node, ast.keyword) and node.arg:
            out.append((node.value.lineno, node.arg))
    return out


MODULES = sorted(p.relative_to(REPO).as_posix() for d in ("assistant", "tools") for p in (REPO / d).rglob("*.py"))

# Modules whose entity vocabulary another change is moving into data files right now; each must start passing
# (strict xfail) and then leave this list.
PENDING: dict[str, str] = {}


@pytest.mark.parametrize(
    "module",
    [
        pytest.param(m, marks=pytest.mark.xfail(strict=True, reason=PENDING[m])) if m in PENDING else m
        for m in MODULES
    ],
)
def test_module_names_no_corpus_entity(module: str) -> None:
    pattern = _pattern()
    tree = ast.parse((REPO / module).read_text(encoding="utf-8"))
    hits = [f"line {line}: {m.group()!r} in {text[:60]!r}" for line, text in _code_strings(tree)
            for m in [pattern.search(text.lower())] if m]  # fmt: skip
    assert hits == []


def test_the_name_list_is_read_from_the_data() -> None:
    assert {"h800", "910b", "nvidia", "华为", "deepseek", "llama", "财新"} <= set(NAMES)
    assert _pattern().search("x = 'deepseek-v3'") and not _pattern().search("metadata")
