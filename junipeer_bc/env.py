"""The project's single django-environ instance.

FileAwareEnv also reads ``<NAME>_FILE`` so secrets can come from mounted files.
The real process environment always wins over a local ``.env`` file.
"""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.FileAwareEnv()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
