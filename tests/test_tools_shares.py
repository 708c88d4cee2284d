"""chip_share: the built-in rows, filters, user CSVs and the 100% rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools import chip_share, load_shares

HEADER = "market,region,period,vendor,share,basis,source\n"
TENDERS = "government-led AI computing-center tenders,China,2025H1"


def test_builtin_huawei_tender_share() -> None:
    t = chip_share()
    (row,) = t.rows
    assert (row.vendor, row.share, row.hedge, row.period, row.region) == (
        "Huawei Ascend",
        0.8,
        "about",
        "2025H1",
        "China",
    )
    assert row.source.path == "articles/caixin_2025_deepseek_nvidia_zh.txt"
    assert row.source.quote == "华为昇腾（Ascend）系列则在政府主导的智算中心招标中拿下了近80%的市场份额"
    assert list(t.unattributed.values()) == [pytest.approx(0.2)]
    assert (
        t.render("zh").splitlines()[0].startswith("China·政府主导的智算中心招标·2025H1：Huawei Ascend 约80%")
    )


@pytest.mark.parametrize(
    ("kwargs", "count"),
    [
        ({"market": "智算中心"}, 1),
        ({"market": "tender"}, 1),
        ({"market": "China"}, 1),
        ({"market": "smartphones"}, 0),
        ({"period": "2025年上半年"}, 1),
        ({"period": "H1 2025"}, 1),
        ({"period": "2025"}, 1),
        ({"period": "2024"}, 0),
        ({"vendor": "华为"}, 1),
        ({"vendor": "huawei"}, 1),
        ({"vendor": "NVIDIA"}, 0),
    ],
)
def test_filters(kwargs: dict, count: int) -> None:
    assert len(chip_share(**kwargs).rows) == count


def test_quote_is_in_the_corpus() -> None:
    corpus = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    path = corpus / "articles" / "caixin_2025_deepseek_nvidia_zh.txt"
    if not path.exists():
        pytest.skip("shared corpus not available")
    text = path.read_text(encoding="utf-8")
    for row in chip_share().rows:
        assert row.source.quote and row.source.quote in text


def test_user_rows_are_added(tmp_path: Path) -> None:
    p = tmp_path / "mine.csv"
    p.write_text(HEADER + f"{TENDERS},NVIDIA,15%,share of tenders won,my notes\n", encoding="utf-8")
    t = chip_share(extra_csv=str(p))
    assert [(r.vendor, r.share) for r in t.rows] == [("Huawei Ascend", 0.8), ("NVIDIA", 0.15)]
    assert t.unattributed == {f"{TENDERS.replace(',', ' | ')} | share of tenders won": pytest.approx(0.05)}
    assert [r.vendor for r in chip_share(vendor="nvidia", extra_csv=str(p)).rows] == ["NVIDIA"]


def test_user_row_replaces_the_builtin_one(tmp_path: Path) -> None:
    p = tmp_path / "mine.csv"
    p.write_text(
        HEADER + f"{TENDERS},Huawei Ascend,0.75,share of tenders won,newer report\n", encoding="utf-8"
    )
    assert [(r.vendor, r.share) for r in chip_share(extra_csv=str(p)).rows] == [("Huawei Ascend", 0.75)]


def test_over_100_percent_is_rejected_naming_market_and_period(tmp_path: Path) -> None:
    p = tmp_path / "bad.csv"
    p.write_text(HEADER + f"{TENDERS},NVIDIA,25%,share of tenders won,my notes\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"government-led AI computing-center tenders.*'2025H1'.*105%"):
        chip_share(extra_csv=str(p))


def test_load_shares_rejects_a_table_over_100(tmp_path: Path) -> None:
    p = tmp_path / "bad.csv"
    p.write_text(HEADER + "GPUs,World,2024,A,0.7,units,x\nGPUs,World,2024,B,0.4,units,x\n", encoding="utf-8")
    with pytest.raises(ValueError, match="market 'GPUs' .* period '2024'"):
        load_shares(p)


def test_different_bases_are_checked_separately(tmp_path: Path) -> None:
    p = tmp_path / "ok.csv"
    p.write_text(
        HEADER + "GPUs,World,2024,A,0.7,units,x\nGPUs,World,2024,A,0.9,revenue,x\n", encoding="utf-8"
    )
    assert len(load_shares(p)) == 2


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("GPUs,World,2024,A,1.7,units,x", "must be a fraction"),
        ("GPUs,World,2024,A,lots,units,x", "is not a number"),
        ("GPUs,World,someday,A,0.5,units,x", "period 'someday'"),
    ],
)
def test_bad_rows(tmp_path: Path, line: str, message: str) -> None:
    p = tmp_path / "bad.csv"
    p.write_text(HEADER + line + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_shares(p)


def test_missing_columns_and_missing_file(tmp_path: Path) -> None:
    p = tmp_path / "cols.csv"
    p.write_text("market,vendor\nx,y\n", encoding="utf-8")
    with pytest.raises(ValueError, match="missing column"):
        load_shares(p)
    with pytest.raises(ValueError, match="no such file"):
        chip_share(extra_csv=str(tmp_path / "nope.csv"))
