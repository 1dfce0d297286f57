"""A non-editable ``pip install .`` works: the command, templates and translations.

The wheel is built from this checkout and installed without dependencies into a new
virtualenv that borrows the test environment's third-party packages, so the test needs
no network yet proves the wheel carries everything Engage needs of its own.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("install")
    wheel_dir = work / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", wheel_dir, ROOT],
        check=True,
    )
    wheel = next(wheel_dir.glob("engage-*.whl"))
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    new_site = next(venv.glob("lib/python*/site-packages"))
    # Borrow third-party packages only (a plain path line does not run their .pth files,
    # so the checkout's editable install does not leak in).
    (new_site / "borrowed.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            venv / "bin/python",
            "install",
            "--no-deps",
            "--quiet",
            wheel,
        ],
        check=True,
    )
    return venv


def _env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "PYTHON"))}
    env.update(
        ENGAGE_ENV="development",
        DATABASE_URL=f"sqlite:///{tmp / 'engage.sqlite'}",
        SECRET_KEY="install-test-key",
    )
    return env


def test_wheel_is_imported_from_site_packages_with_its_templates(installed, tmp_path):
    code = (
        "import engage, engage.paths as p;"
        "print(engage.__file__);"
        "print(p.resource_dir('templates'));"
        "print(p.resource_dir('translations'))"
    )
    out = subprocess.run(
        [installed / "bin/python", "-c", code],
        cwd=tmp_path,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert all(str(installed) in line for line in out), out
    assert (Path(out[1]) / "layouts/resident.html").exists()
    assert list(Path(out[2]).glob("*/LC_MESSAGES/messages.po"))


def test_installed_command_migrates_and_serves_pages(installed, tmp_path):
    env = _env(tmp_path)
    engage = installed / "bin/engage"
    help_text = subprocess.run(
        [engage, "--help"], cwd=tmp_path, env=env, capture_output=True, text=True, check=True
    ).stdout
    assert "demo" in help_text and "create-admin" in help_text and "db" in help_text
    subprocess.run(
        [engage, "db", "upgrade"], cwd=tmp_path, env=env, check=True, capture_output=True
    )
    subprocess.run([engage, "demo"], cwd=tmp_path, env=env, check=True, capture_output=True)

    port = _free_port()
    log_path = tmp_path / "gunicorn.log"
    log = log_path.open("wb")
    server = subprocess.Popen(
        [
            installed / "bin/python",
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "engage:create_app()",
        ],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as answer:
                    health = answer.read()
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(log_path.read_text())
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not answer")
        assert b'"status":"ok"' in health.replace(b" ", b"")
        with urllib.request.urlopen(f"{base}/auth/login?lang=es", timeout=5) as answer:
            page = answer.read().decode()
        assert '<html lang="es"' in page
        assert "Iniciar sesión" in page
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
