"""Configuration files: every key checked, flag spellings accepted, --config anywhere, pyproject.toml found."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from augtool.cli import app

from .conftest import run_cli

RECORD = b'{"id": 1, "text": "The quick brown fox jumps over the lazy dog."}\n'


def invoke(*args: str, stdin: bytes = RECORD) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def copies(stdout: str) -> int:
    return sum("_aug" in json.loads(line) for line in stdout.splitlines())


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return tmp_path / "augtool.toml"


@pytest.fixture(autouse=True)
def _away_from_any_pyproject(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in an empty project, so the checkout's or a developer's pyproject.toml cannot leak in."""
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    monkeypatch.chdir(tmp_path)


def test_keys_spelt_as_flags_as_names_or_negated(config: Path) -> None:
    config.write_text('[augment]\nn-aug = 1\nprovenance_key = "p"\nno-guards = true\n'
                      '[preview]\nn-aug = 2\nops = "rd"\nno-color = true\n')
    code, out, err = invoke("--config", str(config), "augment", "-", "-o", "-")
    assert code == 0, err
    assert [sorted(json.loads(line)) for line in out.splitlines()] == [["id", "text"], ["id", "p", "text"]]
    # preview's -n/--n-aug is the parameter n: the flag's spelling reaches it
    code, out, err = invoke("--config", str(config), "preview", "The quick brown fox jumps over the lazy dog.")
    assert code == 0, err
    assert out.count("rd:") == 2


def test_no_guards_in_config_turns_guards_off(config: Path) -> None:
    text = "I do not like it at all, not one bit."
    config.write_text('[augment]\nno-guards = true\nops = "rd"\nalpha = 0.9\nn-aug = 8\n')
    code, out, _ = invoke("--config", str(config), "augment", "-", "-o", "-", stdin=json.dumps({"text": text}).encode())
    assert code == 0
    assert any(json.loads(line)["text"].count("not") < 2 for line in out.splitlines()[1:])
    code, out, _ = invoke("augment", "-", "-o", "-", "--ops", "rd", "--alpha", "0.9", "-n", "8",
                          stdin=json.dumps({"text": text}).encode())
    assert all(json.loads(line)["text"].count("not") == 2 for line in out.splitlines())


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[augment]\nn-agu = 2\n", "[augment] has no option 'n-agu'; known: alpha, chain,"),
        ("[augmnet]\nseed = 1\n", "no command 'augmnet' for a [augmnet] table; known: augment, balance,"),
        ("seed = 1\n", "seed = 1 is outside any table: options go in a table per command, e.g. [augment]"),
        ("[manifest.merge]\nforce = true\n", "[manifest.merge] has no option 'force'; known: "),
        ("[manifest.mrege]\n", "no command 'manifest.mrege' for a [manifest.mrege] table; known: manifest.merge"),
        ("[augment]\nn-aug = 1\nn_aug = 2\n", "[augment] sets 'n_aug' twice (under two spellings)"),
        ("[augment]\nno-guards = 1\n", "[augment] no-guards takes true or false, not 1"),
        ("[augment\n", "invalid TOML"),
    ],
)
def test_bad_config_is_a_usage_error_naming_the_key(config: Path, toml: str, message: str) -> None:
    config.write_text(toml)
    code, out, err = invoke("--config", str(config), "list")
    assert code == 2 and out == ""
    assert err.startswith(f"augtool: error: {config}") and message in err


def test_a_value_of_the_wrong_type_is_a_usage_error(config: Path) -> None:
    config.write_text('[augment]\nn-aug = "many"\n')
    code, _, err = invoke("--config", str(config), "augment", "-", "-o", "-")
    assert code == 2 and "Invalid value for '--n-aug' / '-n': 'many' is not a valid" in err


def test_config_after_the_subcommand(config: Path) -> None:
    config.write_text("[augment]\nn-aug = 1\n")
    for args in (["augment", "-", "--config", str(config), "-o", "-"],
                 ["augment", "-", "-o", "-", f"--config={config}"]):
        code, out, err = invoke(*args)
        assert code == 0, err
        assert copies(out) == 1


def test_pyproject_tool_augtool_is_found_from_a_subfolder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"
    (project / "data" / "deep").mkdir(parents=True)
    (project / "pyproject.toml").write_text("[project]\nname = 'p'\n\n[tool.augtool.augment]\nn-aug = 2\n")
    monkeypatch.chdir(project / "data" / "deep")
    code, out, err = invoke("augment", "-", "-o", "-")
    assert code == 0 and copies(out) == 2
    assert f"augtool: defaults for augment from [tool.augtool] in {project / 'pyproject.toml'}" in err
    # An explicit config replaces it; flags still win over both.
    (tmp_path / "c.toml").write_text("[augment]\nn-aug = 3\n")
    assert copies(invoke("--config", str(tmp_path / "c.toml"), "augment", "-", "-o", "-")[1]) == 3
    assert copies(invoke("augment", "-", "-o", "-", "-n", "1")[1]) == 1
    # A nearer pyproject.toml without [tool.augtool] is another project: nothing is inherited.
    (project / "data" / "pyproject.toml").write_text("[project]\nname = 'inner'\n")
    code, out, err = invoke("augment", "-", "-o", "-")
    assert copies(out) == 4 and "[tool.augtool]" not in err


def test_bad_pyproject_table_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.augtool.augment]\nseeed = 3\n")
    code, _, err = invoke("list")
    assert code == 2 and f"{tmp_path / 'pyproject.toml'} [tool.augtool]: [augment] has no option 'seeed'" in err


def test_env_config_and_a_real_process(tmp_path: Path) -> None:
    (tmp_path / "c.toml").write_text("[augment]\nn-aug = 1\n")
    proc = run_cli("augment", "-", "-o", "-", stdin=RECORD, cwd=tmp_path, env={"AUGTOOL_CONFIG": "c.toml"})
    assert proc.returncode == 0, proc.stderr
    assert copies(proc.stdout.decode()) == 1
