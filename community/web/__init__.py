"""Site-wide pages and plumbing: home, health, error pages, headers, language."""

from . import assets, errors, security, timing  # noqa: F401
