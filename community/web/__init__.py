"""Site-wide pages and plumbing: home, health, error pages, headers, language."""

from . import assets, compression, errors, security, timing  # noqa: F401
