"""The domain pack: built-in vocabularies validate, clashes are errors, a user's file adds or overrides."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from assistant.ask import glossary
from assistant.domain import PackError, active_pack, load_pack, use_data_dir
from assistant.domain.pack import _merge, _read
from tools import training_cost
from tools.vocab import _EXTRA_FILES, _prices, default_prices


@pytest.fixture
def user_dir(tmp_path: Path) -> Iterator[Path]:
    """A data folder whose ``domain/`` subfolder the test fills; the active pack is reset afterwards."""
    (tmp_path / "domain").mkdir()
    yield tmp_path
    use_data_dir(None)
    _EXTRA_FILES.clear()
    _prices.cache_clear()
    load_pack.cache_clear()


def test_builtin_pack_loads_and_has_no_clashes() -> None:
    pack = load_pack()
    assert pack.sources == ("domain/data/terms.toml", "domain/data/words.toml")
    seen: dict[str, tuple[str, ...]] = {}
    for group in pack.groups:
        for form in group:
            assert form.lower() not in seen, (form, group, seen.get(form.lower()))
            seen[form.lower()] = group
    # the three forms that once sat in two groups each now sit in one
    assert seen["利润率"] == seen["profit margin"]
    assert seen["profit"] == ("利润", "profit")
    assert seen["吞吐率"] == seen["throughput"]
    assert "多少" in pack.question_words and "how" in pack.question_words
    assert "算力" in pack.tokenizer_words
    assert pack.markets["tender"] == ("tender", "招标")


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {"a.toml": 'groups = [["利润", "profit"], ["盈利", "Profit"]]'},
            "a.toml: group 2 (盈利, Profit) repeats 'Profit', already in the group (利润, profit) of a.toml",
        ),
        (
            {"a.toml": 'groups = [["租金", "rent"]]', "b.toml": 'groups = [["rent", "leasing"]]'},
            "b.toml: group 1 (rent, leasing) repeats 'rent', already in the group (租金, rent) of a.toml",
        ),
        ({"a.toml": 'groups = [["only-one"]]'}, "a.toml: groups: Value error, a group needs at least two words, got ['only-one']"),
        ({"a.toml": "colour = 1"}, "a.toml: colour: Extra inputs are not permitted"),
        ({"a.toml": "groups = ["}, "a.toml: not valid TOML"),
        ({"a.toml": 'override = [["电池", "battery"]]'}, "a.toml: override group (电池, battery) replaces no"),
    ],
)
def test_bad_files_fail_with_the_place_named(files: dict[str, str], message: str) -> None:
    with pytest.raises(PackError) as err:
        _merge([(name, _read(text, name)) for name, text in files.items()])
    assert str(err.value).startswith(message)


def test_a_user_file_adds_terms_and_words(user_dir: Path) -> None:
    (user_dir / "domain" / "battery.toml").write_text(
        'groups = [["电池", "battery", "cell"], ["正极", "cathode"]]\ntokenizer_words = ["磷酸铁锂"]\n',
        encoding="utf-8",
    )
    assert ("电池", "battery", "cell") not in glossary.GLOSSARY
    use_data_dir(user_dir)
    pack = active_pack()
    assert pack.sources[-1] == "battery.toml"
    assert pack.groups[-2:] == (("电池", "battery", "cell"), ("正极", "cathode"))
    assert ("电池", "battery", "cell") in glossary.GLOSSARY  # the old module names follow the active pack
    assert pack.tokenizer_words[-1] == "磷酸铁锂"
    use_data_dir(None)
    assert ("电池", "battery", "cell") not in glossary.GLOSSARY


def test_a_user_file_may_override_a_builtin_group(user_dir: Path) -> None:
    (user_dir / "domain" / "mine.toml").write_text('override = [["租金", "rent", "hire"]]\n', encoding="utf-8")
    use_data_dir(user_dir)
    groups = active_pack().groups
    assert ("租金", "rent", "hire") in groups
    assert not any("rental" in g for g in groups)  # the built-in group it replaced is gone


def test_a_user_clash_is_an_error(user_dir: Path) -> None:
    (user_dir / "domain" / "mine.toml").write_text('groups = [["价钱", "price"]]\n', encoding="utf-8")
    use_data_dir(user_dir)
    with pytest.raises(PackError, match=r"^mine.toml: group 1 \(价钱, price\) repeats 'price'"):
        active_pack()


def test_a_user_figures_file_overrides_a_default_price(user_dir: Path) -> None:
    (user_dir / "domain" / "figures.toml").write_text(
        '[rental_price."NVIDIA H100 SXM5 80GB"]\nusd_per_gpu_hour = "2.5"\nfigure = "Our H100 contract price"\n'
        'value = "$2.5/GPU·h"\ndocument = "Procurement memo 2026"\n',
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="usd_per_gpu_hour is required"):
        training_cost(gpus=8, days=1, chip="H100")
    use_data_dir(user_dir)
    assert default_prices()["NVIDIA H100 SXM5 80GB"][0] == Decimal("2.5")
    result = training_cost(gpu_hours=1000, chip="H100")
    assert result.cost_usd == Decimal("2500.0")
    assert result.sources[0].document == "Procurement memo 2026"
