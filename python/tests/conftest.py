"""Shared fixtures: the repository (its scenarios) and the `pluri` binary to compare with."""

import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(os.environ.get("PLURI_REPO", Path(__file__).resolve().parents[2]))
SMALL = REPO / "scenarios" / "small.toml"


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def small() -> Path:
    return SMALL


@pytest.fixture(scope="session")
def pluri_bin() -> Path:
    """The command line to compare with: $PLURI_BIN (required to exist when set), else
    target/release/pluri of the repository (the test is skipped without one)."""
    given = os.environ.get("PLURI_BIN")
    path = Path(given) if given else REPO / "target" / "release" / "pluri"
    if not path.is_absolute():
        path = REPO / path
    if not path.exists():
        if given:
            pytest.fail(f"PLURI_BIN={given} does not exist")
        pytest.skip("no target/release/pluri: build it or set PLURI_BIN")
    return path


def cli(pluri_bin: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Runs the command line quietly from the repository; its output as text."""
    return subprocess.run(
        [str(pluri_bin), "--quiet", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=check,
    )
