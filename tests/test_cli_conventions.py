"""Terminal conventions of the command line: every command's --help ends with two examples
that parse, and TERM=dumb gets the plain mode instead of an app it cannot draw."""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys

import pytest
from helpers import ROOT

from trainer.cli import COMMANDS, build_parser
from trainer.cli.common import CliError


def parsers(parser: argparse.ArgumentParser, path: str = ""):
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from parsers(child, f"{path} {name}".strip())


ALL = list(parsers(build_parser()))


def test_every_command_is_covered():
    assert {path.split()[0] for path, _ in ALL if path} == set(COMMANDS)


@pytest.mark.parametrize(("path", "parser"), ALL, ids=[p or "sre-trainer" for p, _ in ALL])
def test_help_ends_with_two_examples_that_parse(path, parser):
    lines = parser.format_help().rstrip("\n").split("\n")
    assert lines[-3] == "examples:", lines[-4:]
    examples = [line.strip() for line in lines[-2:]]
    for example in examples:
        command = example.split("sre-trainer", 1)[1]
        command = command.split("  ")[0]  # a description after two spaces
        for redirect in (" < ", " > ", " | "):
            command = command.split(redirect)[0]
        argv = shlex.split(command)
        if path:
            assert " ".join(argv).startswith(path) or path in " ".join(argv), example
        try:
            build_parser().parse_args(argv)
        except CliError as error:
            pytest.fail(f"{example!r} does not parse: {error}")
        except SystemExit:
            pytest.fail(f"{example!r} does not parse")


def run_with_term(*args: str, term: str, stdin: str = "", home=None):
    env = {k: v for k, v in os.environ.items() if k != "TEXTUAL_DRIVER"}
    env.update(TERM=term, SRE_TRAINER_HOME=str(home))
    return subprocess.run(
        [sys.executable, "-m", "trainer", *args],
        cwd=ROOT,
        input=stdin,
        text=True,
        capture_output=True,
        env=env,
        timeout=60,
    )


def test_a_dumb_terminal_is_told_about_the_plain_mode(tmp_path):
    result = run_with_term(term="dumb", home=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "TERM=dumb" in result.stderr and "sre-trainer mock --plain" in result.stderr
    assert result.stdout == ""


def test_a_mock_in_a_dumb_terminal_runs_plain(tmp_path):
    result = run_with_term(
        "mock", "--questions", "1", "--seed", "1", term="dumb", stdin="/skip\n", home=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[0] == (
        "sre-trainer: TERM=dumb: running the mock in plain mode (--plain)"
    )
    assert "Question 1 of 1" in result.stdout and "(skipped)" in result.stdout
    assert "\x1b" not in result.stdout


def test_the_new_commands_do_not_import_textual(tmp_path):
    """schema, import, export to Anki and the server process stay on the plain core."""
    guide = tmp_path / "g.md"
    guide.write_text("## Net\n\nQ: What is a 502?\nA: A bad gateway.\n", encoding="utf-8")
    code = (
        "import sys, io, contextlib\n"
        "from trainer import cli\n"
        f"for argv in (['schema'], ['import', {str(guide)!r}, '-o', {str(tmp_path / 'p')!r}],\n"
        f"             ['export', '--format', 'anki', '-o', {str(tmp_path / 'd.apkg')!r}]):\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        "        assert cli.main(argv) == 0, argv\n"
        "import trainer.content.schema, trainer.content.guide_import, trainer.export.anki\n"
        "try:\n"
        "    import trainer.web.server\n"
        "except ImportError:\n"
        "    pass  # no [web] extra\n"
        "print('textual' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "SRE_TRAINER_HOME": str(tmp_path / "home")},
    )
    assert result.stdout.strip() == "False", result.stderr
