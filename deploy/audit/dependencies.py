# ruff: noqa: S603  (runs pip-audit from our own venv with fixed arguments, never a shell)
"""Check every pinned package in requirements.lock against the Python Packaging Advisory Database.

    python deploy/audit/dependencies.py                    # CI: fails on any known vulnerability
    python deploy/audit/dependencies.py --require-service  # release: also fails if a package went unchecked

pip-audit asks PyPI for each pinned version's advisories. Where PyPI's per-version answers cannot be
reached (this project's build machine reaches the package index but not that part of PyPI), every package
comes back "could not be audited": pip-audit alone then exits 0, which would read as a clean bill. This
wrapper says plainly how many packages were really checked, fails on any vulnerability found, and with
`--require-service` (what `make audit` uses) fails when any package could not be checked.
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PIP_AUDIT = Path(sys.executable).parent / "pip-audit"


def run_pip_audit(requirements: Path) -> dict:
    completed = subprocess.run(
        [
            str(PIP_AUDIT),
            "--disable-pip",
            "--no-deps",
            "-r",
            str(requirements),
            "--progress-spinner",
            "off",
            "-f",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    try:
        return json.loads(completed.stdout)
    except json.JSONDecodeError:
        message = (completed.stderr.strip().splitlines() or ["no output"])[-1]
        return {"dependencies": [], "error": f"pip-audit did not run: {message}"}


def summarise(report: dict) -> tuple[list[str], list[dict], list[dict]]:
    """(lines to print, vulnerable packages, unchecked packages)."""
    dependencies = report.get("dependencies", [])
    vulnerable = [dep for dep in dependencies if dep.get("vulns")]
    unchecked = [dep for dep in dependencies if dep.get("skip_reason")]
    checked = len(dependencies) - len(unchecked)
    lines = []
    if report.get("error"):
        lines.append(report["error"])
    lines.append(f"pip-audit: {checked} of {len(dependencies)} pinned packages checked against advisories.")
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
            lines.append(f"  VULNERABLE {dep['name']} {dep['version']}: {vuln['id']} (fixed in: {fixed})")
    if unchecked:
        lines.append(
            f"  NOT CHECKED: {len(unchecked)} packages (the advisory service did not answer for them, "
            f"e.g. {unchecked[0]['name']}); run `make audit` where PyPI's JSON API is reachable."
        )
    return lines, vulnerable, unchecked


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requirements", type=Path, default=ROOT / "requirements.lock")
    parser.add_argument(
        "--require-service", action="store_true", help="fail when any package could not be checked"
    )
    options = parser.parse_args()
    report = run_pip_audit(options.requirements)
    lines, vulnerable, unchecked = summarise(report)
    print("\n".join(lines))
    if vulnerable:
        return 1
    if options.require_service and (unchecked or report.get("error") or not report.get("dependencies")):
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
