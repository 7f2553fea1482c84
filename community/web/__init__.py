"""Site-wide pages and plumbing: home, health, error pages, headers, language."""

from . import errors, security  # noqa: F401
