"""Fixtures shared by the tests. Helpers that are not fixtures are in tests/helpers.py: a conftest is a pytest
plugin and is never imported by name."""

import pytest


@pytest.fixture
def tiny_file(tmp_path):
    """Write a scenario file from TOML text and return its path."""

    def write(text: str, name: str = "scenario.toml"):
        path = tmp_path / name
        path.write_text(text)
        return path

    return write
