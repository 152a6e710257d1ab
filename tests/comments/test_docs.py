from pathlib import Path

from byline.core.conf import SETTINGS

DOC = Path(__file__).resolve().parents[2] / "docs" / "comments.md"
CONF_MODULES = [
    Path(__file__).resolve().parents[2] / "byline" / app / "conf.py" for app in ("comments", "accounts")
]


def test_every_comments_and_accounts_setting_has_a_row_in_the_docs():
    import re

    declared = {"BYLINE_COMMENT_POLICY"}
    for module in CONF_MODULES:
        declared |= set(re.findall(r'register\(\s*"(BYLINE_[A-Z0-9_]+)"', module.read_text(encoding="utf-8")))
    assert declared <= set(SETTINGS)
    rows = [line for line in DOC.read_text(encoding="utf-8").splitlines() if line.startswith("|")]
    missing = sorted(name for name in declared if not any(f"`{name}`" in row for row in rows))
    assert len(declared) >= 12
    assert missing == []
