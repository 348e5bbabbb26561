"""The built wheel carries what an installed wcsim needs: features, schema, entry points."""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_ships_features_schema_and_entry_points(tmp_path):
    # Built from a copy: pip builds in the source tree, where the other test workers are
    # writing bytecode meanwhile.
    source = tmp_path / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", ".ci-venv", "__pycache__", "build", "dist", "*.egg-info", ".hypothesis", ".pytest_cache"
        ),
    )
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(source)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next(tmp_path.glob("wcsim-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(archive.read(n).decode() for n in names if n.endswith("entry_points.txt"))
        archive.extractall(tmp_path / "site")
    assert {
        "sim/features/donts.feature",
        "sim/features/recovery.feature",
        "sim/scenario_schema.json",
        "sim/scenarios/rename-company-file.toml",
        "sim/diagnose/causes.py",
        "sim/report/article.txt",
        "sim/report/templates/claims.html.j2",
        "sim/report/templates/timeline.svg.j2",
    } <= names
    assert "wcsim = sim.bdd.plugin" in entry_points and "wcsim = sim.cli:main" in entry_points
    # Imported from the unpacked wheel (not the checkout), the claims find their features inside the package.
    probe = subprocess.run(
        [sys.executable, "-c", "from sim.claims import features_dir; print(features_dir())"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path / "site"), "PATH": ""},
    )
    assert probe.stdout.strip() == str(tmp_path / "site" / "sim" / "features"), probe.stderr
