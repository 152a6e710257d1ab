"""The dependency audit says how much it really checked, and fails on any known vulnerability."""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "deploy" / "audit" / "dependencies.py"


@pytest.fixture
def audit():
    spec = importlib.util.spec_from_file_location("byline_dependency_audit", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CHECKED = {"name": "django", "version": "5.2.19", "vulns": []}
VULNERABLE = {
    "name": "examplepkg",
    "version": "1.0",
    "vulns": [{"id": "PYSEC-2099-1", "fix_versions": ["1.0.1"], "description": "..."}],
}
UNCHECKED = {"name": "nh3", "skip_reason": "Dependency not found on PyPI and could not be audited"}


def run(audit, monkeypatch, capsys, report, *args):
    monkeypatch.setattr(audit, "run_pip_audit", lambda requirements: report)
    monkeypatch.setattr("sys.argv", ["dependencies.py", *args])
    code = audit.main()
    return code, capsys.readouterr().out


def test_a_known_vulnerability_fails_the_audit_and_names_the_fix(audit, monkeypatch, capsys):
    code, out = run(audit, monkeypatch, capsys, {"dependencies": [CHECKED, VULNERABLE]})
    assert code == 1
    assert "2 of 2 pinned packages checked" in out
    assert "VULNERABLE examplepkg 1.0: PYSEC-2099-1 (fixed in: 1.0.1)" in out


def test_a_clean_complete_audit_passes(audit, monkeypatch, capsys):
    code, out = run(audit, monkeypatch, capsys, {"dependencies": [CHECKED]}, "--require-service")
    assert code == 0
    assert "1 of 1" in out and "NOT CHECKED" not in out


def test_packages_the_service_did_not_answer_are_reported_never_passed_silently(audit, monkeypatch, capsys):
    report = {"dependencies": [CHECKED, UNCHECKED]}
    code, out = run(audit, monkeypatch, capsys, report)
    assert code == 0  # CI: reported, not fatal (the build machine cannot reach the service)
    assert "1 of 2 pinned packages checked" in out
    assert "NOT CHECKED: 1 packages" in out
    assert run(audit, monkeypatch, capsys, report, "--require-service")[0] == 2


def test_pip_audit_failing_to_run_is_said_and_fails_a_release_audit(audit, monkeypatch, capsys):
    report = {"dependencies": [], "error": "pip-audit did not run: connection refused"}
    code, out = run(audit, monkeypatch, capsys, report, "--require-service")
    assert code == 2
    assert "pip-audit did not run: connection refused" in out
