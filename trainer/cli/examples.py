"""Two examples at the end of every command's `--help`, kept here in one table (a test runs
each through the parser, so they stay true)."""

from __future__ import annotations

# command path ("" for the program itself) -> two example command lines
EXAMPLES: dict[str, tuple[str, str]] = {
    "": (
        "sre-trainer                         open the app",
        "sre-trainer --bank ~/my-packs list  the cards, with your own packs",
    ),
    "query": (
        "sre-trainer query list",
        "echo 'rate(http_requests_total[5m])' | sre-trainer query check --id pod-cpu-percent",
    ),
    "query list": ("sre-trainer query list", "sre-trainer query list --json"),
    "query check": (
        "echo 'rate(http_requests_total[5m])' | sre-trainer query check --id pod-cpu-percent",
        "echo 'CPU per pod' | sre-trainer query check --id pod-cpu-percent --kind read --json",
    ),
    "mock": (
        "sre-trainer mock --questions 3 --time-per-question 120",
        "printf 'answer one\\n\\nanswer two\\n\\n' | sre-trainer mock --plain --questions 2",
    ),
    "scenario": ("sre-trainer scenario list", "sre-trainer scenario show error-rate-50"),
    "scenario list": ("sre-trainer scenario list", "sre-trainer scenario list --json"),
    "scenario show": (
        "sre-trainer scenario show error-rate-50",
        "sre-trainer scenario show ./my-outage.yaml --seed 2 --json",
    ),
    "scenario play": (
        "sre-trainer scenario play error-rate-50 --model-path",
        "sre-trainer scenario play error-rate-50 --actions grafana-overview,rollout-history "
        '--root-cause "the release points at a missing table"',
    ),
    "grade": (
        "echo 'I would check the logs and roll back' | sre-trainer grade --card q01",
        "sre-trainer grade --card q05 --json < answer.txt",
    ),
    "validate": ("sre-trainer validate", "sre-trainer validate ~/my-packs/networking.yaml"),
    "list": ("sre-trainer list --category monitoring-observability", "sre-trainer list --json"),
    "stats": ("sre-trainer stats", "sre-trainer stats --json"),
    "export": (
        "sre-trainer export --format csv -o attempts.csv",
        "sre-trainer export --format anki -o sre-trainer.apkg",
    ),
    "import": (
        "sre-trainer import interview-guide.md",
        "sre-trainer import interview-guide.md -o ~/my-packs --prefix kube",
    ),
    "schema": (
        "sre-trainer schema pack > pack.schema.json",
        "sre-trainer schema scenarios",
    ),
    "serve": ("sre-trainer serve", "sre-trainer serve --host 0.0.0.0 --port 8080"),
}


def render(examples: tuple[str, ...]) -> str:
    return "\nexamples:\n" + "".join(f"  {line}\n" for line in examples)
