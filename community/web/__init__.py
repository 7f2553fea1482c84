"""Site-wide pages and plumbing: home, health, error pages, headers, language."""

from . import assets, compression, errors, security, templates, timing  # noqa: F401
