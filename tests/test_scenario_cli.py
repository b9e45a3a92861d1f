"""`sre-trainer scenario` as a user runs it: show, play (ids, paths, --bank, the packs
folder), typed root cause and updates, and one-line errors (JSON with --json)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from helpers import run_trainer, write

from trainer.scenarios.loader import load_scenarios

ROOT = Path(__file__).resolve().parent.parent
BUILTIN = sorted(load_scenarios(include_user_packs=False)[0])


def run(*args, home=None):
    return run_trainer("scenario", *args, home=home)


def copy_as(scenario_id: str, folder, new_id: str):
    text = (ROOT / "scenarios" / f"{scenario_id}.yaml").read_text(encoding="utf-8")
    assert f"  id: {scenario_id}\n" in text
    return write(
        folder / f"{new_id}.yaml", text.replace(f"  id: {scenario_id}\n", f"  id: {new_id}\n")
    )


@pytest.mark.parametrize("scenario_id", BUILTIN)
def test_show_json_lists_the_actions(scenario_id):
    result = run("show", scenario_id, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"id", "title", "actions"} and data["id"] == scenario_id
    assert data["actions"] and all(
        set(a) == {"id", "label", "kind", "requires"} for a in data["actions"]
    )


@pytest.mark.parametrize("scenario_id", BUILTIN)
def test_a_copy_in_a_bank_folder_plays(tmp_path, scenario_id):
    copy_as(scenario_id, tmp_path / "bank", f"my-{scenario_id}")
    result = run(
        "play", f"my-{scenario_id}", "--bank", str(tmp_path / "bank"), "--model-path", "--json"
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["scenario"] == f"my-{scenario_id}" and data["score"] >= 90


def test_scenarios_in_the_packs_folder_and_by_path(tmp_path):
    home = tmp_path / "home"
    path = copy_as("error-rate-50", home / "packs", "my-outage")
    listed = json.loads(run("list", "--json", home=home).stdout)
    assert "my-outage" in [s["id"] for s in listed]
    played = run("play", "my-outage", "--model-path", "--json", home=home)
    assert json.loads(played.stdout)["score"] >= 90
    by_path = run("play", str(path), "--model-path", "--json", home=tmp_path / "other")
    assert json.loads(by_path.stdout)["scenario"] == "my-outage"
    # The question-bank side ignores scenario files in the packs folder.
    validated = run_trainer("validate", home=home)
    assert validated.returncode == 0, validated.stdout
    builtin = len(load_scenarios(include_user_packs=False)[0])
    assert f"{builtin + 1} scenarios" in validated.stdout  # the built-in ones and the pack's


def test_validate_reports_a_scenario_id_a_pack_takes_again(tmp_path):
    """The app skips the copy (its id is taken); validate says so, as `scenario list` does."""
    home = tmp_path / "home"
    copy_as("error-rate-50", home / "packs", "error-rate-50")
    validated = run_trainer("validate", home=home)
    assert validated.returncode == 1
    assert "duplicate scenario id 'error-rate-50'" in validated.stdout


def test_play_with_a_typed_root_cause_and_update():
    result = run(
        "play",
        "error-rate-50",
        "--actions",
        "grafana-overview,rollout-history,rollback,status-update,backend-logs",
        "--root-cause",
        "The release points product reads at a table that does not exist: the logs show "
        "ResourceNotFoundException on it.",
        "--update",
        "Since 14:03 about half of requests fail: customers cannot browse or search the catalog, "
        "while cart and checkout still work normally. We rolled back the release and are "
        "confirming recovery. Next update at 14:40.",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    root = data["breakdown"][0]
    assert root["name"] == "Root cause" and root["points"] >= 20
    assert "credited: mechanism" in root["detail"]
    credited = [p["role"] for p in data["root_cause_points"] if p["status"] == "full"]
    assert "mechanism" in credited and "evidence" in credited
    assert data["status_updates"][0]["score"] >= 80


def test_seeds_pick_variants():
    titles = {
        json.loads(run("show", "error-rate-50", "--seed", str(seed), "--json").stdout)["actions"][
            13
        ]["label"]
        for seed in range(8)
    }
    assert len(titles) > 1  # the rollback names the previous release of the variant


def test_unknown_action_lists_the_valid_ids():
    result = run("play", "error-rate-50", "--actions", "grafana-overview,not-an-action")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    line = result.stderr.strip()
    assert "\n" not in line
    assert "unknown action 'not-an-action'; valid ids: grafana-overview, errors-by-route" in line


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "--actions is empty"),
        (("--actions", " , "), "--actions is empty"),
        (("--actions", "grafana-overview", "--hints", "-1"), "--hints expects 0 to 3"),
        (
            ("--actions", "grafana-overview", "--hints", "99999999999999999999"),
            "--hints expects 0 to 3",
        ),
        (("--actions", "grafana-overview", "--hints", "two"), "--hints expects a whole number"),
        (("--model-path", "--root-cause", "x"), "drop --root-cause"),
        (("--model-path", "--actions", "rollback"), "drop --actions"),
        (("--actions", "grafana-overview", "--seed", "-4"), "--seed expects a number"),
        (
            ("--actions", "grafana-overview,create-table"),
            "'create-table' needs table-missing first",
        ),
    ],
)
def test_bad_input_is_one_line_and_json_with_json(args, message):
    started = time.monotonic()
    plain = run("play", "error-rate-50", *args)
    assert plain.returncode == 2 and plain.stdout == ""
    assert message in plain.stderr and len(plain.stderr.strip().splitlines()) == 1
    as_json = run("play", "error-rate-50", *args, "--json")
    assert as_json.returncode == 2 and message in json.loads(as_json.stdout)["error"]
    assert time.monotonic() - started < 30


def test_unknown_scenario_and_broken_file(tmp_path):
    result = run("play", "nope", "--model-path")
    assert result.returncode == 2 and "unknown scenario 'nope'" in result.stderr
    broken = write(tmp_path / "broken.yaml", "scenario:\n  id: broken\n")
    result = run("play", str(broken), "--model-path", "--json")
    assert result.returncode == 1
    assert "cannot be played" in json.loads(result.stdout)["error"]


def test_validate_reports_every_error_of_a_scenario_file(tmp_path):
    text = (ROOT / "scenarios" / "error-rate-50.yaml").read_text(encoding="utf-8")
    text = text.replace("      kind: rollback\n", "      kind: undo\n", 1).replace(
        "      requires: [rollout-history]\n", "      requires: [rollout-histry]\n", 1
    )
    path = write(tmp_path / "error-rate-50.yaml", text)
    result = run_trainer("validate", str(path))
    assert result.returncode == 1
    assert "kind: expected one of diagnose" in result.stdout
    assert "requires: unknown action, key step or inject 'rollout-histry'" in result.stdout
    assert "invalid: 2 error(s)" in result.stdout
