"""The CLI contract, driven in a real subprocess: JSON in, JSON out, exit 2 on bad input."""
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

DMST = [str(Path(sys.executable).with_name("dmst"))]
MODULE = [sys.executable, "-m", "dmst"]
CASE = {"id": "c1", "age": 15, "purpose": "prostitution", "anything_of_value": True,
        "actors": [{"name": "R", "conduct": ["recruited"]}]}


def run(args, stdin=None, cmd=DMST):
    return subprocess.run(cmd + args, input=stdin, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("cmd", [DMST, MODULE], ids=["dmst", "python -m dmst"])
def test_object_in_object_out(cmd):
    r = run(["classify", "--as-of", "2012-06-01", "-"], json.dumps(CASE), cmd)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["id"] == "c1" and out["as_of"] == "2012-06-01" and out["trafficking_victim"] is True
    assert out["ct_prostitution"] == "not_prosecutable"
    assert out["actors"][0]["provisions"][0]["id"] == "us-18-1591"
    assert out["actors"][0]["provisions"][0]["mandatory_minimum_months"] == 120


def test_array_in_array_out_same_order(tmp_path):
    cases = [{**CASE, "id": f"c{i}", "age": age} for i, age in enumerate([12, 30, 17])]
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(cases))
    r = run(["classify", "--as-of", "2026-11-28", str(path)])
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert [o["id"] for o in out] == ["c0", "c1", "c2"]
    assert [o["minor"] for o in out] == [True, False, True]


def test_as_of_defaults_to_today():
    r = run(["classify"], json.dumps(CASE))
    assert json.loads(r.stdout)["as_of"] == date.today().isoformat()


@pytest.mark.parametrize("payload, lines", [
    ([CASE, {"age": 200, "purpose": "x"}], ["case 1: field 'age': must be a whole number from 0 to 120; got 200",
                                             "case 1: field 'purpose': must be one of prostitution, pornography, erotic_dancing, labor, none; got 'x'"]),
    ({**CASE, "colour": 1}, ["case (id 'c1'): field 'colour': unknown field; allowed fields: id, age"]),
    ([{**CASE, "status": "alien"}], ["case 0 (id 'c1'): field 'status': must be one of citizen, permanent_resident, other, unknown; got 'alien'"]),
])
def test_bad_case_exits_2_naming_case_field_and_allowed_values(payload, lines):
    r = run(["classify", "--as-of", "2012-06-01"], json.dumps(payload))
    assert r.returncode == 2 and r.stdout == ""
    for line in lines:
        assert any(line in got for got in r.stderr.splitlines()), r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize("args, stdin, message", [
    (["classify"], "{not json", "input: not valid JSON"),
    (["classify"], "", "input: not valid JSON"),
    (["classify", "--as-of", "2012-13-01"], json.dumps(CASE), "--as-of: field 'as_of': '2012-13-01' is not a date YYYY-MM-DD"),
    (["classify", "--as-of", "2009-01-01"], json.dumps(CASE), "--as-of: law before 2010-10-01 is not modelled"),
    (["classify", "/no/such/file.json"], None, "/no/such/file.json: cannot be read"),
])
def test_bad_input_exits_2_with_one_clear_line(args, stdin, message):
    r = run(args, stdin)
    assert r.returncode == 2 and r.stdout == ""
    assert message in r.stderr and "Traceback" not in r.stderr


def test_unknown_command_exits_2():
    assert run(["judge"]).returncode == 2


def test_array_output_is_compact_and_object_output_is_indented():
    one = run(["classify", "--as-of", "2026-11-28"], json.dumps(CASE))
    many = run(["classify", "--as-of", "2026-11-28"], json.dumps([CASE, CASE]))
    assert one.stdout.startswith("{\n  ") and many.stdout.count("\n") == 1
    assert json.loads(many.stdout) == [json.loads(one.stdout)] * 2


def test_new_fields_and_null_values_in_the_contract():
    labor = {"age": 15, "purpose": "labor", "force_fraud_or_coercion": True,
             "actors": [{"name": "W", "conduct": ["obtained", "coerced"]}]}
    out = json.loads(run(["classify", "--as-of", "2026-11-28"], json.dumps(labor)).stdout)
    assert out["ct_prostitution"] is None and out["force_fraud_coercion_required"] is True
    assert out["notify"] == ["dcf_careline", "fbi", "us_attorney"]
    coercion = next(p for p in out["actors"][0]["provisions"] if p["id"] == "ct-53a-192")
    assert (coercion["maximum_months"], coercion["maximum_days"], coercion["confidence"]) == (None, 364, "medium")
    assert all("confidence" in s for s in out["explanation"] + out["not_applied"])


def test_a_reader_that_stops_early_ends_the_output_quietly():
    payload = json.dumps([CASE] * 2000)
    p = subprocess.Popen(DMST + ["classify", "--as-of", "2026-11-28"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    p.stdin.write(payload.encode())
    p.stdin.close()
    p.stdout.read(100)
    p.stdout.close()  # like `| head -c 100`
    err = p.stderr.read().decode()
    assert p.wait(timeout=60) == 0
    assert "Traceback" not in err and "BrokenPipe" not in err


def test_the_cli_json_is_exactly_to_dict():
    """The CLI encodes the dataclasses directly; `to_dict` must give the same contract."""
    from dmst import classify

    cases = [CASE, {"age": 15, "purpose": "labor", "force_fraud_or_coercion": True}, {"age": 30, "purpose": "none"}]
    r = run(["classify", "--as-of", "2026-11-28"], json.dumps(cases))
    assert json.loads(r.stdout) == [classify(c, "2026-11-28").to_dict() for c in cases]
    single = run(["classify", "--as-of", "2026-11-28"], json.dumps(CASE))
    assert json.loads(single.stdout) == classify(CASE, "2026-11-28").to_dict()


def test_the_readme_examples_run():
    import os
    import re

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    contract = readme.split("## The CLI contract", 1)[1].split("\n## ", 1)[0]
    examples = re.findall(r"^(echo '.*?' \| dmst classify[^\n]*)$", contract, re.M | re.S)
    assert len(examples) >= 2
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    for example in examples:
        r = subprocess.run(["bash", "-c", example], capture_output=True, text=True, env=env, timeout=60)
        assert r.returncode == 0, (example, r.stderr)
        assert json.loads(r.stdout)["trafficking_victim"] is True
