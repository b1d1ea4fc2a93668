#!/usr/bin/env python3
"""Runs a composite action's steps the way a GitHub runner does, on this machine.

    run-action.py ACTION_DIR WORKSPACE [input=value ...]

Each `run` step goes to `bash --noprofile --norc -eo pipefail FILE` (the runner's `bash`
shell), in WORKSPACE, with the step's `env`, the `GITHUB_*`/`RUNNER_*` variables and fresh
GITHUB_PATH, GITHUB_OUTPUT, GITHUB_ENV and GITHUB_STEP_SUMMARY files; lines a step appends to
GITHUB_PATH are on PATH for the next steps, as on a runner. `${{ … }}` expressions are
substituted first. Only the expressions fmx's action.yml uses are understood (inputs.*,
steps.*.outputs.*, runner.temp, github.action_path, github.workspace, and `X == 'lit'` /
`X != 'lit'` in `if:`); anything else stops the run, so that the action cannot use an
expression this stand-in would get wrong. Prints the action's outputs as `output NAME=VALUE`
and exits with the first failing step's status.
"""

import os
import re
import subprocess
import sys
import tempfile

import yaml

EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
COMPARE = re.compile(r"^([\w.-]+)\s*(==|!=)\s*'([^']*)'$")


class Context:
    def __init__(self, action_dir, workspace, temp, inputs):
        self.values = {
            "runner.temp": temp,
            "github.action_path": action_dir,
            "github.workspace": workspace,
        }
        for name, value in inputs.items():
            self.values[f"inputs.{name}"] = value

    def lookup(self, name):
        if name in self.values:
            return self.values[name]
        if name.startswith("steps."):
            return ""  # an output a step did not set is empty
        sys.exit(f"run-action: unsupported expression `{name}`")

    def evaluate(self, expr):
        m = COMPARE.match(expr)
        if m:
            equal = self.lookup(m.group(1)) == m.group(3)
            return equal if m.group(2) == "==" else not equal
        return self.lookup(expr)

    def substitute(self, text):
        return EXPR.sub(lambda m: str(self.evaluate(m.group(1))), str(text))

    def condition(self, text):
        if text is None:
            return True
        expr = EXPR.fullmatch(str(text).strip())
        result = self.evaluate(expr.group(1) if expr else str(text).strip())
        if not isinstance(result, bool):
            sys.exit(f"run-action: `if: {text}` is not a comparison")
        return result


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n") for line in f if line.strip()]


def run_step(step, ctx, env, files, workspace, base_path):
    """Runs one step; returns its exit status."""
    if "run" not in step or step.get("shell") != "bash":
        sys.exit(f"run-action: only `run` steps with `shell: bash` are supported: {step}")
    step_env = dict(env)
    for name, value in (step.get("env") or {}).items():
        step_env[name] = ctx.substitute(value)
    with open(files["GITHUB_OUTPUT"], "w", encoding="utf-8"):
        pass  # each step gets its own output file, as on a runner
    with tempfile.NamedTemporaryFile("w", suffix=".sh", delete=False) as script:
        script.write(ctx.substitute(step["run"]))
    try:
        status = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", script.name],
            cwd=workspace,
            env=step_env,
        ).returncode
    finally:
        os.unlink(script.name)
    if "id" in step:
        for line in read_lines(files["GITHUB_OUTPUT"]):
            name, _, value = line.partition("=")
            ctx.values[f"steps.{step['id']}.outputs.{name}"] = value
    # Directories appended to GITHUB_PATH come first on PATH for the following steps.
    added = read_lines(files["GITHUB_PATH"])
    env["PATH"] = os.pathsep.join(list(reversed(added)) + [base_path])
    return status


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    action_dir = os.path.abspath(sys.argv[1])
    workspace = os.path.abspath(sys.argv[2])
    given = dict(arg.split("=", 1) for arg in sys.argv[3:])
    with open(os.path.join(action_dir, "action.yml"), encoding="utf-8") as f:
        action = yaml.safe_load(f)
    if action["runs"]["using"] != "composite":
        sys.exit("run-action: only composite actions are supported")
    declared = action.get("inputs") or {}
    unknown = set(given) - set(declared)
    if unknown:
        sys.exit(f"run-action: the action has no input {sorted(unknown)}")
    inputs = {name: str(spec.get("default", "")) for name, spec in declared.items()}
    inputs.update(given)

    runner = tempfile.mkdtemp(prefix="fmx-runner-")
    temp = os.path.join(runner, "_temp")
    os.makedirs(temp)
    files = {}
    for name in ("GITHUB_PATH", "GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_STEP_SUMMARY"):
        files[name] = os.path.join(runner, name.lower())
        open(files[name], "w").close()
    files["GITHUB_STEP_SUMMARY"] = os.environ.get("GITHUB_STEP_SUMMARY", files["GITHUB_STEP_SUMMARY"])
    env = dict(os.environ)
    env.update(files)
    env.update(
        {
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": workspace,
            "GITHUB_ACTION_PATH": action_dir,
            "RUNNER_TEMP": temp,
            "RUNNER_OS": "Linux",
        }
    )
    base_path = env["PATH"]
    ctx = Context(action_dir, workspace, temp, inputs)
    for step in action["runs"]["steps"]:
        if not ctx.condition(step.get("if")):
            continue
        status = run_step(step, ctx, env, files, workspace, base_path)
        if status != 0:
            return status
    for name, spec in (action.get("outputs") or {}).items():
        print(f"output {name}={ctx.substitute(spec['value'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
