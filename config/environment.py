"""The environment every settings module reads (config/settings.py lists them): where the
project and its local state are, the `env` every setting is read with, whether the tests run,
and the secret key."""

import secrets
import sys
from pathlib import Path

import environ


def read_env(base_dir: Path) -> environ.Env:
    """The process environment, over a local .env file in `base_dir` if there is one.

    A .env file is convenient in development; real deployments set the environment (a
    variable that is set always wins over the file).
    """
    env = environ.Env()
    if (base_dir / ".env").exists():
        environ.Env.read_env(base_dir / ".env", overwrite=False)
    return env


def secret_key(env: environ.Env, var_dir: Path) -> str:
    """SECRET_KEY from the environment, or a random key kept in var/ (never a known key).

    Several processes on several hosts must share one key: set SECRET_KEY in production.
    """
    if key := env.str("SECRET_KEY", default=""):
        return key
    path = var_dir / "secret_key"
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(64))
    return path.read_text().strip()


BASE_DIR = Path(__file__).resolve().parent.parent

env = read_env(BASE_DIR)

VAR_DIR = Path(env.str("SOCIALHUB_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

# The test suite runs with these same settings; only defaults that would get in its way differ
# (plain-HTTP live servers, no collectstatic step, a fast password hasher).
TESTING = "pytest" in sys.modules or sys.argv[1:2] == ["test"]
