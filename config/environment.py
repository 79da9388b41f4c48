"""Reading the environment for config/settings.py: the `env` every setting is read with, and
the secret key."""

import secrets
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
