"""Settings for `make demo` and local work: safe defaults so a fresh checkout runs."""

from .base import *  # noqa: F403
from .base import GENXI_FIELD_KEYS, GENXI_INDEX_KEY, SECRET_KEY, VAR_DIR, env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-secret-key-do-not-use-in-production-5b1f0e"
# The demo's field key. Production must set GENXI_FIELD_KEY (see docs/deploy.md).
GENXI_FIELD_KEYS = GENXI_FIELD_KEYS or ["genxi-demo-field-key-not-for-production"]
# The demo's blind-index key: the demo field key's value, so that demo databases made before
# the index had its own key keep their digests. Production sets GENXI_INDEX_KEY.
GENXI_INDEX_KEY = GENXI_INDEX_KEY or "genxi-demo-field-key-not-for-production"
VAR_DIR.mkdir(exist_ok=True)
