"""README's two commands stay true: CI runs the test command README gives, with the same
install, and the app command installs the package that provides `sre-trainer`."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_command(heading: str) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index(f"## {heading}") :]
    return section.split("```sh\n", 1)[1].split("\n", 1)[0]


def test_ci_runs_the_readme_test_command():
    steps = [part.strip() for part in readme_command("Install and test").split("&&")]
    install = next(s for s in steps if s.startswith("pip install"))
    test = steps[-1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert f"python -m {install}" in ci.replace("--quiet ", "")
    assert ci.rstrip().splitlines()[-1] == test


def test_the_run_command_starts_the_installed_entry_point():
    steps = [part.strip() for part in readme_command("Install and run").split("&&")]
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert steps[-1] in project["scripts"]
    assert any(re.fullmatch(r"pip install \.", s) for s in steps)
