"""Mutation testing (mutmut 3) of the modules where an unnoticed bug costs most.

Why: a green suite says the code ran, not that a test would notice it doing the
wrong thing. mutmut changes one operator, constant or call at a time; a change
no test notices (a *survivor*) is either a missing test or an equivalent change.
See docs/mutation.md for the figures and the survivors kept, with the reasons.

Each group runs in its own scratch copy (``.mutation/<group>``, git-ignored) with
its own ``[tool.mutmut]`` block, so it runs only the test files of its modules:
mutmut 3 then runs, for each mutant, only the tests that called the mutated
function, the mutants whose tests take least time first. A module that every
test of a selection calls (the session interface runs on every request,
``atomic_write`` on every export) is estimated at the whole selection and came
last, so a time-boxed run never reached it: such a module has a group of its own
whose tests are its own direct, fast ones.

mutmut 3 skips decorated functions (Flask routes, context managers); the
scratch copy lifts their decorators below the function (``name =
decorator(name)``, the same object at import) so they are mutated too.

    make mutation                              # every group
    .venv/bin/python bench/mutation.py auth    # one group
    .venv/bin/python bench/mutation.py auth -f safe_next   # one function ('*next' also works)
    .venv/bin/python bench/mutation.py auth --survivors    # re-test survivors after new tests
    .venv/bin/python bench/mutation.py api -f repair --not-checked   # resume a stopped run

Not part of the normal test suite: it takes tens of minutes of CPU.
"""

from __future__ import annotations

import argparse
import ast
import os
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORK = REPO / ".mutation"
# the tests also read the repository's Markdown (the bounded Markdown reader is checked on it)
DOCUMENTS = ("docs", "README.md", "ARCHITECTURE.md", "SECURITY.md")
COPIED = ("workbench", "aligner", "templates", "seeds", "tests", "pyproject.toml", *DOCUMENTS)


@dataclass(frozen=True)
class Group:
    modules: tuple[str, ...]
    tests: tuple[str, ...]


GROUPS = {
    "auth": Group(
        ("workbench/web/auth.py",),
        ("tests/test_login.py", "tests/test_sessions.py"),
    ),
    "sessions": Group(("workbench/web/sessions.py",), ("tests/test_sessions.py",)),
    "api": Group(
        ("workbench/web/api.py",),
        (
            "tests/test_api.py",
            "tests/test_roles.py",
            "tests/test_limits.py",
            "tests/test_web_repair.py",
        ),
    ),
    "storage": Group(
        ("workbench/store/db.py", "workbench/review/saves.py"),
        (
            "tests/test_storage_writes.py",
            "tests/test_limits.py",
            "tests/test_planted_bugs.py",
            "tests/test_tm.py",
        ),
    ),
    "export": Group(
        ("workbench/exchange/export.py",),
        (
            "tests/test_export_selection.py",
            "tests/test_export.py",
            "tests/test_export_targets.py",
            "tests/test_planted_bugs.py",
        ),
    ),
    "atomic": Group(
        ("workbench/formats/atomic.py",),
        ("tests/test_atomic.py", "tests/test_export_targets.py"),
    ),
    "processes": Group(
        ("workbench/web/processes.py", "workbench/web/database.py"),
        ("tests/test_serve_processes.py", "tests/test_checkpointer.py"),
    ),
}


def lift_decorators(path: Path) -> int:
    """Rewrite ``@d1 @d2 def f`` as ``def f`` + ``f = d1(d2(f))`` (module level only),
    which mutmut 3 will mutate; returns how many functions were lifted."""
    source = path.read_text("utf-8")
    lines = source.splitlines(keepends=True)
    lifted = [
        node
        for node in ast.parse(source).body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.decorator_list
    ]
    for node in reversed(lifted):
        wrapped = node.name
        for decorator in reversed(node.decorator_list):
            wrapped = f"{ast.get_source_segment(source, decorator)}({wrapped})"
        first = min(d.lineno for d in node.decorator_list) - 1
        end = node.end_lineno or node.lineno
        lines[end:end] = [f"\n\n{node.name} = {wrapped}\n"]
        del lines[first : node.lineno - 1]
    path.write_text("".join(lines), "utf-8")
    return len(lifted)


def mutmut_config(group: Group) -> str:
    def strings(values) -> str:
        return "[" + ", ".join(f'"{v}"' for v in values) + "]"

    return (
        "\n[tool.mutmut]\n"
        'source_paths = ["workbench"]\n'
        f"only_mutate = {strings(group.modules)}\n"
        f"also_copy = {strings(('aligner', 'templates', 'seeds', *DOCUMENTS))}\n"
        f"pytest_add_cli_args_test_selection = {strings(group.tests)}\n"
        'pytest_add_cli_args = ["-p", "no:cacheprovider"]\n'
        "use_git_change_detection = false\n"
        # a fork of the process that ran the whole selection (servers, threads) can
        # deadlock on a lock another thread held: fork from a clean server instead
        'process_isolation = "forkserver"\n'
        # mutmut's time limit is 15 x (the tests' call time + this); the call time leaves
        # out each mutant run's fixed start (a fresh pytest session, fixtures such as an
        # import, a Flask app, the users' scrypt hashes), so on a shared machine passing
        # runs hit the default limit (1 s) and were counted as timeouts, that is caught
        "timeout_constant = 20.0\n"
    )


def prepare(name: str, group: Group) -> Path:
    """The group's scratch copy of the current tree (kept between runs: mutmut resumes)."""
    scratch = WORK / name
    scratch.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "output", ".hypothesis")
    for item in COPIED:
        source, copy = REPO / item, scratch / item
        if source.is_dir():
            shutil.copytree(source, copy, dirs_exist_ok=True, ignore=ignore)
        else:
            shutil.copy2(source, copy)
    with (scratch / "pyproject.toml").open("a", encoding="utf-8") as config:
        config.write(mutmut_config(group))
    for module in group.modules:
        lift_decorators(scratch / module)
    shared = scratch / "shared"  # tests read ../shared/eval beside the copied tree
    if not shared.exists() and (REPO.parent / "shared").is_dir():
        shared.symlink_to(REPO.parent / "shared")
    return scratch


def module_of(mutant: str) -> str:
    return mutant.rpartition(".")[0]


def results(scratch: Path, mutmut: str) -> list[tuple[str, str]]:
    listing = subprocess.run(
        [mutmut, "results", "--all", "true"], cwd=scratch, capture_output=True, text=True
    ).stdout
    found = []
    for line in listing.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if "__mutmut_" in name:
            found.append((name, status))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("groups", nargs="*", help=f"some of {', '.join(GROUPS)} (default: all)")
    parser.add_argument(
        "-f", "--function", action="append", default=[],
        help="only the function (or method) of this name, wildcards allowed, or one mutant's name"
        " (repeatable)",
    )  # fmt: skip
    parser.add_argument(
        "--survivors", action="store_true",
        help="re-test only the mutants that survived the last run (after adding tests)",
    )  # fmt: skip
    parser.add_argument(
        "--not-checked", action="store_true",
        help="only the mutants never run yet (mutmut re-runs every mutant named or matched by -f)",
    )  # fmt: skip
    parser.add_argument("--max-children", type=int, default=2)
    args = parser.parse_args()
    unknown = set(args.groups) - set(GROUPS)
    if unknown:
        parser.error(f"unknown group {', '.join(sorted(unknown))}; choose from {', '.join(GROUPS)}")
    mutmut = str(Path(sys.executable).with_name("mutmut"))
    if not Path(mutmut).exists():
        print("mutmut is not installed: pip install -e '.[dev]'", file=sys.stderr)
        return 2
    status = 0
    for name in args.groups or GROUPS:
        scratch = prepare(name, GROUPS[name])
        patterns = [
            pattern
            for f in args.function
            for pattern in (
                [f]
                if "__mutmut_" in f
                # a function's mutants are x_NAME__mutmut_N, a method's xǁClassǁNAME__mutmut_N
                else [f"workbench.*.x_{f}__mutmut_*", f"workbench.*ǁ{f}__mutmut_*"]
            )
        ]
        wanted = {"survived"} if args.survivors else set()
        wanted |= {"not checked"} if args.not_checked else set()
        if wanted:
            patterns = [
                mutant
                for mutant, verdict in results(scratch, mutmut)
                if verdict in wanted and (not patterns or any(fnmatch(mutant, p) for p in patterns))
            ]
            if not patterns:
                print(f"== {name}: no {' or '.join(sorted(wanted))} mutants to test")
                continue
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        command = [mutmut, "run", "--max-children", str(args.max_children), *patterns]
        with (scratch / "mutmut.log").open("w") as log:
            run = subprocess.run(command, cwd=scratch, env=env, stdout=log, stderr=log)
        status = status or run.returncode
        counts: dict[str, Counter] = {}
        for mutant, verdict in results(scratch, mutmut):
            counts.setdefault(module_of(mutant), Counter())[verdict] += 1
        print(f"== {name}")
        for module, count in sorted(counts.items()):
            total = sum(count.values())
            summary = ", ".join(f"{k} {v}" for k, v in sorted(count.items()))
            print(f"{module}: {total} mutants: {summary}")
        print(f"  survivors (see one: cd {scratch.relative_to(REPO)} && mutmut show NAME):")
        for mutant, verdict in results(scratch, mutmut):
            if verdict == "survived":
                print(f"  {mutant}")
    return status


if __name__ == "__main__":
    sys.exit(main())
