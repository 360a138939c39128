"""Fixtures shared by the integration tests: a running virtsecretd in its own
temporary root, and the clients that talk to it."""

import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lib"))

import mvtest  # noqa: E402


@pytest.fixture
def secretd():
    d = mvtest.Daemon("virtsecretd")
    try:
        yield d
        d.stop()
    finally:
        d.cleanup()


@pytest.fixture(scope="module")
def shared_secretd():
    """One daemon for a module of read-mostly tests (each test cleans up)."""
    d = mvtest.Daemon("virtsecretd")
    try:
        yield d
        d.stop()
    finally:
        d.cleanup()
