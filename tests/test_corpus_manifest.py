"""Checks on the project's own corpus folder: the source manifest and the briefs' front matter.

The briefs are what a fresh install indexes before anything else, so a broken date, a missing
source link or a figure that drifted between the English and Chinese twin would surface in
answers. These tests pin all of that down.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus"

FRONT_MATTER_KEYS = ("title", "source", "url", "date", "language")
SOURCE_REQUIRED = ("id", "title", "publisher", "date", "language", "kind", "licence", "briefs")
SOURCE_KINDS = {"pdf", "html", "markdown", "csv", "text", "jsonl"}
LANGUAGES = {"en", "zh"}

EXPECTED_STEMS = [
    "ai-chip-specs",
    "china-ai-chip-market",
    "chinese-labs-training-compute",
    "deepseek-inference-economics",
    "deepseek-v2-efficiency",
    "deepseek-v3-training",
    "export-controls",
    "gpu-rental-prices",
    "llama-training-compute",
]

# Figures each brief pair must state, English first, then the Chinese twin's wording.
# If a figure is edited in one language only, this table catches the drift.
ANCHORS = [
    (
        "deepseek-v3-training",
        ["2.788M", "2,664K", "119K", "$5.576M", "$2 per GPU hour", "180K", "3.7 days", "2,048", "14.8T"],
        ["278.8 万", "2664K", "119K", "557.6 万美元", "2 美元", "18 万", "3.7 天", "2048", "14.8T"],
    ),
    (
        "deepseek-inference-economics",
        ["226.75", "278 nodes", "$87,072", "$562,027", "545%", "73.7k", "14.8k", "608B", "168B"],
        ["226.75", "278 个节点", "87,072", "562,027", "545%", "7.37 万", "1.48 万", "608B", "168B"],
    ),
    (
        "deepseek-v2-efficiency",
        ["42.5%", "93.3%", "5.76 times", "172.8K", "300.6K", "8.1T"],
        ["42.5%", "93.3%", "5.76 倍", "172.8K", "300.6K", "8.1T"],
    ),
    (
        "gpu-rental-prices",
        ["$4.5", "12% to 18%", "$2.69", "$2.39", "$3.59", "$5.69", "$1.75", "6,494"],
        ["4.5 美元", "12%—18%", "2.69 美元", "2.39 美元", "3.59 美元", "5.69 美元", "1.75 美元", "6,494"],
    ),
    (
        "export-controls",
        ["April 2025", "three months later", "148 TFLOP/s", "US$50 billion", "160 GB/s", "311.8"],
        ["2025 年 4 月", "三个月后", "148 TFLOP/s", "500 亿美元", "160 GB/s", "311.8"],
    ),
    (
        "china-ai-chip-market",
        ["nearly 80%", "40-fold", "US$51.2 billion", "30 times", "US$20 billion", "75%", "22%"],
        ["近 80%", "40 倍", "512 亿美元", "30 倍", "200 亿美元", "75%", "22%"],
    ),
    (
        "ai-chip-specs",
        ["989.4 TFLOP/s", "148 TFLOP/s", "800 TFLOP/s", "376 TFLOP/s", "1,307.4", "7.7 TB/s", "794.5"],
        ["989.4 TFLOP/s", "148 TFLOP/s", "800 TFLOP/s", "376 TFLOP/s", "1307.4", "7.7 TB/s", "794.5"],
    ),
    (
        "llama-training-compute",
        ["39.3M", "30.84M", "7.38M", "7.7M", "916k", "3.8e25"],
        ["3930 万", "3084 万", "738 万", "770 万", "916k", "3.8e25"],
    ),
    (
        "chinese-labs-training-compute",
        ["$534,700", "512 H800", "15.5T", "36 trillion", "23T", "355B", "45.9B"],
        ["534,700 美元", "512 张 H800", "15.5T", "36 万亿", "23T", "355B", "45.9B"],
    ),
]

CJK = re.compile(r"[\u3400-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]+")


def _briefs() -> list[Path]:
    return sorted(p for p in CORPUS.glob("*.md") if p.name != "README.md")


def _split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Return (front-matter fields, body). Raises AssertionError when the block is malformed."""
    assert text.startswith("---\n"), "brief must open with a front-matter block"
    end = text.index("\n---\n", 4)
    fields: dict[str, str] = {}
    for line in text[4:end].splitlines():
        key, sep, value = line.partition(": ")
        assert sep, f"front-matter line without 'key: value': {line!r}"
        assert key not in fields, f"duplicate key {key!r}"
        fields[key] = value
    return fields, text[end + 5 :]


def _iso_date(value: str) -> None:
    """Accept YYYY-MM-DD or YYYY-MM (month precision), as the Document model documents."""
    if re.fullmatch(r"\d{4}-\d{2}", value):
        date.fromisoformat(value + "-01")
    else:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", value), value
        date.fromisoformat(value)


def _cjk_share(body: str) -> float:
    """Share of CJK characters among CJK characters plus Latin words (a Han character ~ a word)."""
    cjk = len(CJK.findall(body))
    words = len(LATIN_WORD.findall(body))
    return cjk / (cjk + words)


@pytest.fixture(scope="module")
def manifest() -> list[dict]:
    with (CORPUS / "sources.toml").open("rb") as fh:
        data = tomllib.load(fh)
    assert set(data) == {"source"}
    return data["source"]


def test_brief_files_come_in_language_pairs() -> None:
    names = [p.name for p in _briefs()]
    assert names == sorted(f"{stem}.{lang}.md" for stem in EXPECTED_STEMS for lang in ("en", "zh"))


def test_manifest_entries_have_required_keys(manifest: list[dict]) -> None:
    assert len(manifest) == 24
    for entry in manifest:
        missing = [k for k in SOURCE_REQUIRED if k not in entry]
        assert missing == [], (entry.get("id"), missing)
        # A source without a URL must say where to get it.
        assert ("url" in entry) != ("obtain" in entry), entry["id"]
        assert entry["kind"] in SOURCE_KINDS, entry["id"]
        assert entry["language"] in LANGUAGES, entry["id"]
        assert isinstance(entry["briefs"], list), entry["id"]
        _iso_date(entry["date"])


def test_manifest_ids_are_unique_and_urls_https(manifest: list[dict]) -> None:
    ids = [e["id"] for e in manifest]
    assert len(ids) == len(set(ids))
    urls = [e[k] for e in manifest for k in ("url", "mirror") if k in e]
    assert len(urls) == 32
    for url in urls:
        assert url.startswith("https://"), url
        assert " " not in url, url
    assert [e["id"] for e in manifest if "url" not in e] == ["caixin-deepseek-nvidia-2025"]


def test_manifest_briefs_exist_and_every_brief_is_listed(manifest: list[dict]) -> None:
    listed = {name for e in manifest for name in e["briefs"]}
    for name in listed:
        assert (CORPUS / name).is_file(), name
    assert listed == {p.name for p in _briefs()}


@pytest.mark.parametrize("path", _briefs(), ids=lambda p: p.name)
def test_brief_front_matter(path: Path, manifest: list[dict]) -> None:
    fields, body = _split_front_matter(path.read_text(encoding="utf-8"))
    assert tuple(fields) == FRONT_MATTER_KEYS
    for key, value in fields.items():
        assert value.strip() == value and value, (key, value)
        # Unquoted and free of ": " so YAML and a plain splitter read the same value.
        assert value[0] not in "\"'" and ": " not in value, (key, value)
    _iso_date(fields["date"])
    assert fields["language"] == path.name.split(".")[-2]
    assert fields["url"].startswith("https://")
    # The brief's own link must be a manifest source that lists this brief.
    owners = [e["id"] for e in manifest if fields["url"] in (e.get("url"), e.get("mirror"))]
    assert len(owners) == 1, owners
    owner = next(e for e in manifest if e["id"] == owners[0])
    assert path.name in owner["briefs"]
    assert 1500 <= len(path.read_bytes()) <= 5000
    assert len(body.strip()) > 0


@pytest.mark.parametrize("path", _briefs(), ids=lambda p: p.name)
def test_brief_language_matches_script(path: Path) -> None:
    fields, body = _split_front_matter(path.read_text(encoding="utf-8"))
    share = _cjk_share(body)
    if fields["language"] == "zh":
        assert share >= 0.6, share
    else:
        assert share <= 0.05, share


def _pdf_sourced_briefs() -> list[Path]:
    """Briefs whose primary source is an arXiv PDF (read at collection time, so no skips)."""
    return [p for p in _briefs() if "\nurl: https://arxiv.org/" in p.read_text(encoding="utf-8")]


def test_pdf_sourced_briefs_are_the_expected_ones() -> None:
    assert [p.name for p in _pdf_sourced_briefs()] == [
        "chinese-labs-training-compute.en.md",
        "chinese-labs-training-compute.zh.md",
        "deepseek-v2-efficiency.en.md",
        "deepseek-v2-efficiency.zh.md",
        "deepseek-v3-training.en.md",
        "deepseek-v3-training.zh.md",
    ]


@pytest.mark.parametrize("path", _pdf_sourced_briefs(), ids=lambda p: p.name)
def test_pdf_sourced_briefs_cite_pages(path: Path) -> None:
    fields, body = _split_front_matter(path.read_text(encoding="utf-8"))
    pattern = r"p\. \d+" if fields["language"] == "en" else r"第 \d+ 页"
    assert len(re.findall(pattern, body)) >= 5


@pytest.mark.parametrize(("stem", "en_figures", "zh_figures"), ANCHORS, ids=[a[0] for a in ANCHORS])
def test_brief_pairs_state_the_same_figures(stem: str, en_figures: list[str], zh_figures: list[str]) -> None:
    en = (CORPUS / f"{stem}.en.md").read_text(encoding="utf-8")
    zh = (CORPUS / f"{stem}.zh.md").read_text(encoding="utf-8")
    assert [f for f in en_figures if f not in en] == []
    assert [f for f in zh_figures if f not in zh] == []


def test_corpus_helpers() -> None:
    fields, body = _split_front_matter("---\ntitle: T\nlanguage: zh\n---\n正文 text\n")
    assert fields == {"title": "T", "language": "zh"}
    assert body == "正文 text\n"
    assert _cjk_share("正文 text") == pytest.approx(2 / 3)
    _iso_date("2025-12")
    _iso_date("2024-12-27")
    for bad in ("2024-13-01", "2024/12/27", "Dec 2024", "2025-02-30"):
        with pytest.raises((AssertionError, ValueError)):
            _iso_date(bad)
    with pytest.raises(AssertionError):
        _split_front_matter("title: no block\n")


def test_ignore_file_hides_folder_metadata() -> None:
    lines = (CORPUS / ".assistantignore").read_text(encoding="utf-8").splitlines()
    patterns = [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")]
    assert patterns == ["README.md", "sources.toml", ".assistantignore"]


def test_no_machine_paths_in_corpus() -> None:
    for path in sorted(CORPUS.iterdir()):
        text = path.read_text(encoding="utf-8")
        # no absolute folder of a build machine (spelled in pieces so this file does not name one itself)
        assert not re.search("/(?:" + "work|tmp|home)/", text), path.name


def _shingles(text: str, size: int) -> set[str]:
    return {text[i : i + size] for i in range(len(text) - size + 1)}


@pytest.mark.slow
def test_chinese_briefs_do_not_copy_the_caixin_article() -> None:
    """Briefs are written in our own words: no 20-character run may match the article's prose."""
    article_path = SHARED / "articles" / "caixin_2025_deepseek_nvidia_zh.txt"
    if not article_path.is_file():
        pytest.skip("shared corpus not available")
    article = re.sub(r"\s", "", article_path.read_text(encoding="utf-8"))
    headline = article.split("】", 1)[1].split("文｜", 1)[0]
    # Only runs that are mostly Han characters count; shared English terms (model names) are fine.
    known = {s for s in _shingles(article.replace(headline, ""), 20) if len(CJK.findall(s)) >= 10}
    for path in _briefs():
        _, body = _split_front_matter(path.read_text(encoding="utf-8"))
        flat = re.sub(r"\s", "", body).replace(headline, "")
        assert sorted(_shingles(flat, 20) & known) == [], path.name


@pytest.mark.slow
def test_english_briefs_do_not_copy_markdown_sources() -> None:
    """No run of 12 words may match a Markdown source in the shared corpus (URLs stripped)."""
    if not SHARED.is_dir():
        pytest.skip("shared corpus not available")

    def words(text: str) -> list[str]:
        text = re.sub(r"https?://\S+", " ", text.lower())
        return re.findall(r"[a-z0-9$%.,'-]+", text)

    known: set[tuple[str, ...]] = set()
    for src in SHARED.rglob("*.md"):
        w = words(src.read_text(encoding="utf-8", errors="ignore"))
        known.update(tuple(w[i : i + 12]) for i in range(len(w) - 11))
    for path in _briefs():
        _, body = _split_front_matter(path.read_text(encoding="utf-8"))
        w = words(body)
        copied = [" ".join(w[i : i + 12]) for i in range(len(w) - 11) if tuple(w[i : i + 12]) in known]
        assert copied == [], (path.name, copied[:3])
