"""`byline import-wordpress` and `byline import-disqus` as an operator types them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.imports.wxr import FIXTURES

ROOT = Path(__file__).resolve().parents[2]


def byline(*args: str, var_dir: Path) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    environment.update(BYLINE_VAR_DIR=str(var_dir), LOG_LEVEL="WARNING")
    return subprocess.run(
        [sys.executable, "-m", "byline.cli", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow
def test_operators_import_with_dashed_commands_and_bad_files_exit_with_a_message(tmp_path):
    assert byline("migrate", "--no-input", var_dir=tmp_path).returncode == 0
    dry = byline("import-wordpress", str(FIXTURES / "wordpress-1.2.xml"), "--dry-run", var_dir=tmp_path)
    assert dry.returncode == 0, dry.stderr
    assert "Dry run — nothing was written. Import of wordpress-1.2.xml" in dry.stdout
    assert "progress 100%" in dry.stderr  # plain progress lines: stderr is not a terminal here

    done = byline("import-wordpress", str(FIXTURES / "wordpress-1.2.xml"), "--no-progress", var_dir=tmp_path)
    assert done.returncode == 0 and "article" in done.stdout
    disqus = byline("import-disqus", str(FIXTURES / "disqus.xml"), "--no-progress", var_dir=tmp_path)
    assert disqus.returncode == 0 and "comment" in disqus.stdout

    bad = byline("import-disqus", str(FIXTURES / "wordpress-1.2.xml"), var_dir=tmp_path)
    assert bad.returncode == 1
    assert "is not a Disqus export: it starts with <rss> (line 3)" in bad.stderr
    assert "Traceback" not in bad.stderr
