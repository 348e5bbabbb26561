"""Tests, one file per concept; servers.py starts real servers for the interoperability tests."""
