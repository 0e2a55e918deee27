import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]


def _manage(*args, env_extra, tmp_path):
    unwanted = {"SECRET_KEY", "DEBUG", "HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unwanted}
    env.update({"DATA_DIR": str(tmp_path), **env_extra})
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_checks_without_warnings(tmp_path):
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={
            "HTTPS": "1",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "service.example.com",
            "SECRET_KEY": "k" * 20 + "Zq8#vT2!mP9$wL4@nB7^cX1&" * 2,
        },
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stderr


def test_the_embedded_default_generates_a_secret_key_once(tmp_path):
    _manage("check", env_extra={}, tmp_path=tmp_path)
    key = (tmp_path / "secret_key").read_text()
    _manage("check", env_extra={}, tmp_path=tmp_path)
    assert len(key) >= 50
    assert (tmp_path / "secret_key").read_text() == key
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"
