"""The domain pack: bilingual terms, word lists and markets as data files, validated and extendable by a user.

    >>> from assistant.domain import load_pack
    >>> ("租金", "rent", "租赁", "租用", "rental") in load_pack().groups
    True
"""

from assistant.domain.pack import (
    BUILTIN_FILES,
    DomainPack,
    PackError,
    active_pack,
    add_user_file,
    load_pack,
    market_patterns,
    use_data_dir,
)

__all__ = [
    "BUILTIN_FILES", "DomainPack", "PackError", "active_pack", "add_user_file", "load_pack", "market_patterns", "use_data_dir"
]  # fmt: skip
