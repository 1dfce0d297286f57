"""``python -m analysis``: the command of DESIGN.md, run as a subprocess."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONWARNINGS": "error"}
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
        check=False,
    )


def write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_command_writes_themes_and_assignments_in_input_order(
    tmp_path: Path, english_feedback, arabic_feedback
) -> None:
    en, en_topics = english_feedback
    ar, _ = arabic_feedback
    rows = [{"id": str(i), "text": t, "lang": "en"} for i, t in enumerate(en)]
    rows += [{"id": "x", "text": "n/a", "lang": "en"}]
    rows += [{"id": str(i), "text": t, "lang": "ar"} for i, t in enumerate(ar)]
    write_csv(tmp_path / "in.csv", rows)
    out = tmp_path / "out.json"
    result = run(
        str(tmp_path / "in.csv"),
        "--text-column",
        "text",
        "--language-column",
        "lang",
        "--themes",
        "3",
        "--seed",
        "1",
        "--backend",
        "tfidf",
        "--output",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["assignments"]) == len(rows)
    assert data["assignments"][len(en)] is None
    themes = {t["id"]: t for t in data["themes"]}
    for row, assigned in zip(rows, data["assignments"], strict=True):
        if assigned is not None:
            assert themes[assigned]["language"] == row["lang"]
    # Same topic → same theme for most English rows (input order kept).
    first = {}
    for assigned, topic in zip(data["assignments"][: len(en)], en_topics, strict=True):
        first.setdefault(topic, []).append(assigned)
    assert all(max(map(ids.count, ids)) >= 0.8 * len(ids) for ids in first.values())
    for theme in data["themes"]:
        assert {"id", "label", "keywords", "size", "representatives", "job", "sentiment"} <= set(
            theme
        )
    assert data["meta"]["n_items"] == len(rows)


def test_command_chooses_number_and_is_deterministic(tmp_path: Path, english_feedback) -> None:
    texts, _ = english_feedback
    write_csv(tmp_path / "in.csv", [{"text": t} for t in texts])
    outputs = []
    for name in ("a.json", "b.json"):
        result = run(
            str(tmp_path / "in.csv"),
            "--text-column",
            "text",
            "--seed",
            "3",
            "--backend",
            "tfidf",
            "--output",
            str(tmp_path / name),
            "--quiet",
        )
        assert result.returncode == 0, result.stderr
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1]
    data = json.loads(outputs[0])
    assert data["meta"]["n_themes"] >= 2


def test_command_job_columns(tmp_path: Path, english_feedback) -> None:
    texts, _ = english_feedback
    rows = [{"text": t, "when": "I leave for work", "want": "arrive on time"} for t in texts]
    write_csv(tmp_path / "in.csv", rows)
    result = run(
        str(tmp_path / "in.csv"),
        "--text-column",
        "text",
        "--themes",
        "3",
        "--job-column",
        "situation=when",
        "--job-column",
        "motivation=want",
        "--backend",
        "tfidf",
        "--output",
        str(tmp_path / "out.json"),
        "--quiet",
    )
    assert result.returncode == 0, result.stderr
    data = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert all(
        t["job"]["statement"] == "When I leave for work, I want to arrive on time."
        for t in data["themes"]
    )


def test_command_rejects_unknown_column(tmp_path: Path) -> None:
    write_csv(tmp_path / "in.csv", [{"text": "bus late"}])
    result = run(
        str(tmp_path / "in.csv"), "--text-column", "answer", "--output", str(tmp_path / "out.json")
    )
    assert result.returncode == 2
    assert "answer" in result.stderr
    assert not (tmp_path / "out.json").exists()
