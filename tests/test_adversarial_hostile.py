"""Hostile input an attacker or an unlucky user can give: output paths that are not plain files,
inputs with no end, alias bombs, absurd paths, formulas and escape sequences in names, JSON Lines
that are partly bad, and the API handed the wrong things. Each case failed before the fix it
tests (issue 13, items 1-10).

The cases that could hang or eat all memory without their fix run `replicate` in a child process
with a time limit and an address-space limit, so a regression fails the test instead of the machine.
"""

from __future__ import annotations

import csv
import io
import json
import os
import resource
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

from replicate import Advisor, load_programme, load_site
from replicate.cli import main
from replicate.errors import InputError, ReplicateError
from replicate.input_files import read_limited
from replicate.loading import MAX_INPUT_BYTES
from replicate.render.portfolio import FORMULA_STARTS, neutralised
from replicate.rules.yaml_source import YamlProblem, load_yaml
from replicate.terminal import MAX_SHOWN_PATH, escape_controls, shown_path

ROOT = Path(__file__).resolve().parent.parent
PROGRAMME = ROOT / "profiles" / "programmes" / "cafe-families-of-offenders.json"
SITES = ROOT / "profiles" / "sites"
SPARSE = SITES / "sparse.json"
LONG = "x" * 5000
MEMORY_LIMIT = 2 * 1024**3
"""Far more than `replicate` needs, far less than reading /dev/zero or expanding an alias bomb takes."""


def invoke(*args: str, stdin: str | bytes | None = None) -> Result:
    result = CliRunner().invoke(main, list(args), input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    return result


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_bounded(*args: str, stdin: int | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`replicate ARGS` in a child process that may use neither unbounded time nor unbounded memory."""
    source = stdin if stdin is not None else subprocess.DEVNULL
    return subprocess.run([sys.executable, "-m", "replicate", *args], stdin=source, capture_output=True, text=True,
                          timeout=timeout, preexec_fn=_limits, check=False)


def site_json(**changes: object) -> dict[str, object]:
    data: dict[str, object] = json.loads(SPARSE.read_text(encoding="utf-8"))
    data.update(changes)
    return data


# -- 1. --output never replaces anything but a regular file --------------------------------------


@pytest.mark.parametrize("kind", ["fifo", "symlink to a file", "dangling symlink", "symlink to a device"])
def test_output_refuses_a_target_that_is_not_a_regular_file(kind: str, tmp_path: Path) -> None:
    target = tmp_path / "plan.txt"
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n", encoding="utf-8")
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "symlink to a file":
        target.symlink_to(victim)
    elif kind == "dangling symlink":
        target.symlink_to(tmp_path / "nowhere.txt")
    else:
        target.symlink_to(_own_device(tmp_path))
    before = os.lstat(target)
    result = invoke("advise", str(SPARSE), "-p", str(PROGRAMME), "-o", str(target))
    assert result.exit_code == 2
    assert f"error: {target}" in result.stderr and "only a regular file is replaced" in result.stderr
    after = os.lstat(target)
    assert stat.S_IFMT(after.st_mode) == stat.S_IFMT(before.st_mode) and after.st_ino == before.st_ino
    assert victim.read_text(encoding="utf-8") == "keep me\n"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def _own_device(tmp_path: Path) -> Path:
    """A character device the test may lose: its own copy of /dev/null when it runs as root (as root,
    a regression would replace the system's /dev/null itself); otherwise /dev/null, which a user
    cannot replace anyway."""
    if os.geteuid() != 0:
        return Path("/dev/null")
    device = tmp_path / "null"
    os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    return device


def test_output_refuses_a_device(tmp_path: Path) -> None:
    device = _own_device(tmp_path)
    before = os.stat(device)
    assert stat.S_ISCHR(before.st_mode)
    result = invoke("advise", str(SPARSE), "-p", str(PROGRAMME), "-o", str(device))
    assert result.exit_code == 2 and "character device" in result.stderr
    after = os.stat(device)
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_output_dash_is_standard_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("advise", str(SPARSE), "-p", str(PROGRAMME), "-f", "json", "-o", "-")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["site"]["id"] == "sparse"
    assert not (tmp_path / "-").exists()


# -- 2. reads are bounded whatever the input is --------------------------------------------------


class _Endless(io.RawIOBase):
    """A stream with no end that counts what was taken from it, like /dev/zero or a pipe."""

    def __init__(self) -> None:
        self.taken = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        buffer[:] = b"\0" * len(buffer)
        self.taken += len(buffer)
        return len(buffer)


def test_a_bounded_read_takes_at_most_one_byte_over_the_limit() -> None:
    stream = _Endless()
    with pytest.raises(InputError, match="over the limit"):
        read_limited(io.BufferedReader(stream, buffer_size=1), "<endless>", 1000)
    assert stream.taken <= 1001


@pytest.mark.parametrize("where", ["site", "programme"])
def test_a_device_as_input_is_refused_in_bounded_time_and_memory(where: str) -> None:
    args = (["advise", "/dev/zero", "-p", str(PROGRAMME)] if where == "site"
            else ["advise", str(SPARSE), "-p", "/dev/zero"])
    done = run_bounded(*args)
    assert done.returncode == 2, done.stderr
    assert "/dev/zero: cannot read: it is a character device" in done.stderr and "Traceback" not in done.stderr


def test_a_fifo_as_input_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "site.json"
    os.mkfifo(fifo)
    done = run_bounded("advise", str(fifo), "-p", str(PROGRAMME), timeout=60)
    assert done.returncode == 2 and "FIFO" in done.stderr


def test_endless_standard_input_is_refused_in_bounded_time_and_memory() -> None:
    with open("/dev/zero", "rb") as zeros:
        done = run_bounded("advise", "-", "-p", str(PROGRAMME), stdin=zeros.fileno())
    assert done.returncode == 2, done.stderr
    assert "<stdin>:1: line is over the limit" in done.stderr and "Traceback" not in done.stderr


def test_an_endless_jsonl_path_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "zeros.jsonl"
    link.symlink_to("/dev/zero")
    done = run_bounded("advise", str(link), "-p", str(PROGRAMME))
    assert done.returncode == 2 and "character device" in done.stderr


# -- 3. an alias bomb in a rule pack -------------------------------------------------------------

BILLION_LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
) + "rules: *i\n"


def test_an_alias_bomb_is_refused_by_the_yaml_reader() -> None:
    with pytest.raises(YamlProblem, match="alias bomb"):
        load_yaml(BILLION_LAUGHS, "bomb.yaml")


def test_aliases_that_stay_small_still_load() -> None:
    located = load_yaml("a: &x [1, 2]\nb: *x\n", "small.yaml")
    assert located.data == {"a": [1, 2], "b": [1, 2]}


def test_rules_check_on_a_pack_with_an_alias_bomb_is_refused_in_bounded_time_and_memory(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "bomb.yaml").write_text(BILLION_LAUGHS, encoding="utf-8")
    done = run_bounded("rules", "check", str(pack), timeout=60)
    assert done.returncode == 1 and "alias bomb" in done.stdout + done.stderr


# -- 4. very long paths ----------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["site", "output", "rules", "jsonl", "programme", "output-dir"])
def test_a_5000_character_path_is_a_message_not_a_traceback(which: str, tmp_path: Path) -> None:
    args = {
        "site": ["advise", LONG, "-p", str(PROGRAMME)],
        "output": ["advise", str(SPARSE), "-p", str(PROGRAMME), "-o", LONG],
        "rules": ["advise", str(SPARSE), "-p", str(PROGRAMME), "--rules", LONG],
        "jsonl": ["advise", LONG + ".jsonl", "-p", str(PROGRAMME)],
        "programme": ["advise", str(SPARSE), "-p", LONG],
        "output-dir": ["advise", str(SPARSE), "-p", str(PROGRAMME), "--output-dir", LONG],
    }[which]
    result = invoke(*args)
    assert result.exit_code == 2
    assert "File name too long" in result.stderr
    assert max(len(line) for line in result.stderr.splitlines()) < 600  # the path is shortened, not echoed whole


# -- 5. CSV cells that a spreadsheet would run ----------------------------------------------------


@pytest.mark.parametrize("name", ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)",
                                  "-cmd|' /C calc'!A0"])
def test_csv_cells_that_start_like_a_formula_are_neutralised(name: str, tmp_path: Path) -> None:
    site = tmp_path / "site.json"
    site.write_text(json.dumps(site_json(name=name)), encoding="utf-8")
    result = invoke("advise", str(site), "-p", str(PROGRAMME), "-f", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0]["site_name"] == "'" + name
    assert rows[0]["rank"] == "1"  # numbers stay numbers


@pytest.mark.parametrize("cell", ["\tx", "\rx", "=1", "+1", "-1", "@x"])
def test_every_formula_start_is_neutralised_and_nothing_else(cell: str) -> None:
    assert neutralised(cell) == "'" + cell
    assert neutralised("a" + cell) == "a" + cell
    assert neutralised(-1) == -1


# -- 6. JSON Lines, line by line, from files as from standard input ------------------------------


def _jsonl_sites(count: int) -> list[str]:
    return [json.dumps(site_json(id=f"s{index}", name=f"Site {index}")) for index in range(count)]


def test_a_jsonl_file_over_the_whole_file_limit_is_read_line_by_line(tmp_path: Path) -> None:
    padding = " " * (2 * 1024 * 1024)
    batch = tmp_path / "big.jsonl"
    batch.write_text("".join(line + padding + "\n" for line in _jsonl_sites(3)), encoding="utf-8")
    assert batch.stat().st_size > MAX_INPUT_BYTES
    result = invoke("advise", str(batch), "-p", str(PROGRAMME), "-f", "csv")
    assert result.exit_code == 0, result.stderr
    assert "advised 3 of 3" in result.stderr


@pytest.mark.parametrize("source", ["file", "stdin"])
def test_a_bad_byte_spoils_only_its_own_line(source: str, tmp_path: Path) -> None:
    good = _jsonl_sites(3)
    data = (good[0] + "\n" + good[1] + "\n").encode() + b'{"id": "x", "name": "caf\xe9"}\n' + (good[2] + "\n").encode()
    if source == "file":
        batch = tmp_path / "sites.jsonl"
        batch.write_bytes(data)
        result = invoke("advise", str(batch), "-p", str(PROGRAMME), "-f", "csv")
        label = str(batch)
    else:
        result = invoke("advise", "-", "-p", str(PROGRAMME), "-f", "csv", stdin=data)
        label = "<stdin>"
    assert result.exit_code == 2
    assert f"{label}:3: not UTF-8 text: byte 0xe9" in result.stderr
    assert "advised 3 of 4" in result.stderr


@pytest.mark.parametrize("source", ["file", "stdin"])
def test_a_byte_order_mark_is_accepted_the_same_on_stdin_and_in_files(source: str, tmp_path: Path) -> None:
    data = "\ufeff" + "\n".join(_jsonl_sites(2)) + "\n"
    if source == "file":
        batch = tmp_path / "sites.jsonl"
        batch.write_text(data, encoding="utf-8")
        result = invoke("advise", str(batch), "-p", str(PROGRAMME), "-f", "csv")
    else:
        result = invoke("advise", "-", "-p", str(PROGRAMME), "-f", "csv", stdin=data.encode("utf-8"))
    assert result.exit_code == 0, result.stderr
    assert "advised 2 of 2" in result.stderr


@pytest.mark.parametrize("source", ["file", "stdin"])
def test_empty_json_lines_are_an_error_not_a_silent_success(source: str, tmp_path: Path) -> None:
    if source == "file":
        batch = tmp_path / "sites.jsonl"
        batch.write_text("\n  \n", encoding="utf-8")
        result = invoke("advise", str(batch), "-p", str(PROGRAMME))
    else:
        result = invoke("advise", "-", "-p", str(PROGRAMME), stdin="")
    assert result.exit_code == 2
    assert "no site profiles: the input is empty" in result.stderr


# -- 7. escape sequences and control characters -----------------------------------------------------

ESCAPES = "Evil\x1b]0;pwned\x07\x1b[2J\x9b31m\u202eTown"


@pytest.mark.parametrize("output_format", ["text", "markdown"])
def test_escape_sequences_in_a_site_name_never_reach_the_terminal(output_format: str, tmp_path: Path) -> None:
    site = tmp_path / "site.json"
    site.write_text(json.dumps(site_json(name=ESCAPES)), encoding="utf-8")
    result = invoke("advise", str(site), "-p", str(PROGRAMME), "-f", output_format)
    assert result.exit_code == 0, result.stderr
    for control in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert control not in result.stdout
    assert "Evil\\x1b]0;pwned\\x07" in result.stdout


def test_escape_sequences_in_the_batch_summary_are_escaped(tmp_path: Path) -> None:
    line = json.dumps(site_json(name=ESCAPES))
    result = invoke("advise", "-", "-p", str(PROGRAMME), stdin=line + "\n")
    assert result.exit_code == 0 and "\x1b" not in result.stdout


def test_control_bytes_in_a_path_are_escaped_in_errors(tmp_path: Path) -> None:
    result = invoke("advise", str(tmp_path / "bad\x1b]0;title\x07name.json"), "-p", str(PROGRAMME))
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "bad\\x1b]0;title\\x07name.json" in result.stderr


# -- 8. the API handed the wrong things ---------------------------------------------------------


def test_a_5000_digit_integer_from_an_embedder_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"leadership\.champions: a number of more than 100 digits"):
        load_site(site_json(leadership={"champions": 10**5000}))
    with pytest.raises(InputError, match="far too large"):
        load_site('{"id": "x", "name": "X", "leadership": {"champions": 1' + "0" * 5000 + "}}")


def test_advise_given_a_mapping_names_what_it_takes(reference_advisor: Advisor) -> None:
    programme = load_programme(PROGRAMME)
    with pytest.raises(InputError, match=r"advise\(\) takes a SiteProfile .*not dict"):
        reference_advisor.advise(programme, site_json())  # type: ignore[arg-type]
    with pytest.raises(InputError, match="takes a Programme"):
        reference_advisor.advise(json.loads(PROGRAMME.read_text(encoding="utf-8")), load_site(SPARSE))


@pytest.mark.parametrize(("text", "found"), [("[1,2]", "a list"), ("null", "null"), ("  [ ]", "a list"),
                                             ('"site.json"', "text")])
def test_json_text_that_is_not_an_object_is_not_read_as_a_path(text: str, found: str) -> None:
    with pytest.raises(InputError, match=f"expected a JSON object, found {found}"):
        load_site(text)


def test_every_api_error_above_is_the_projects_own() -> None:
    calls: tuple[Callable[[], object], ...] = (
        lambda: load_site("[1,2]"),
        lambda: load_site(site_json(leadership={"champions": 10**5000})),
    )
    for call in calls:
        with pytest.raises(ReplicateError):
            call()


# -- 9. and 10. output names, permissions and durability ---------------------------------------


def test_a_250_character_output_name_is_written(tmp_path: Path) -> None:
    output = tmp_path / ("p" * 246 + ".txt")
    result = invoke("advise", str(SPARSE), "-p", str(PROGRAMME), "-o", str(output))
    assert result.exit_code == 0, result.stderr
    assert output.read_text(encoding="utf-8").strip()


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_a_new_output_file_follows_the_umask(umask: int, tmp_path: Path) -> None:
    output = tmp_path / "plan.txt"
    previous = os.umask(umask)
    try:
        result = invoke("advise", str(SPARSE), "-p", str(PROGRAMME), "-o", str(output))
    finally:
        os.umask(previous)
    assert result.exit_code == 0
    assert stat.S_IMODE(output.stat().st_mode) == 0o666 & ~umask


def test_an_existing_output_file_keeps_its_mode(tmp_path: Path) -> None:
    output = tmp_path / "plan.txt"
    output.write_text("old\n", encoding="utf-8")
    output.chmod(0o640)
    result = invoke("advise", str(SPARSE), "-p", str(PROGRAMME), "-o", str(output))
    assert result.exit_code == 0
    assert stat.S_IMODE(output.stat().st_mode) == 0o640 and output.read_text(encoding="utf-8") != "old\n"


def test_the_output_folder_is_flushed_after_the_rename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[bool] = []
    real_fsync = os.fsync

    def fsync(descriptor: int) -> None:
        synced.append(stat.S_ISDIR(os.fstat(descriptor).st_mode))
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", fsync)
    result = invoke("advise", str(SPARSE), "-p", str(PROGRAMME), "-o", str(tmp_path / "plan.txt"))
    assert result.exit_code == 0
    assert synced == [False, True]  # the file's data, then the folder's entry for it


# -- properties: whatever the text, nothing that acts on a terminal or a spreadsheet gets through -----

_ACTING = {chr(c) for c in [*range(0x00, 0x09), *range(0x0b, 0x20), *range(0x7f, 0xa0), *range(0x202a, 0x202f)]}


@given(st.text())
def test_escaped_text_holds_no_character_that_acts_on_a_terminal(text: str) -> None:
    assert not set(escape_controls(text)) & _ACTING
    assert escape_controls(text).count("\n") == text.count("\n")


@given(st.text(min_size=0, max_size=3000))
def test_a_shown_path_is_one_short_line(text: str) -> None:
    shown = shown_path(text)
    assert not set(shown) & (_ACTING | {"\n", "\t"})
    assert len(shown) <= MAX_SHOWN_PATH + 40


@given(st.text())
def test_no_csv_cell_starts_like_a_formula(text: str) -> None:
    cell = neutralised(text)
    assert isinstance(cell, str) and not cell.startswith(FORMULA_STARTS)
    assert cell in (text, "'" + text)
