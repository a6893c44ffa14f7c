import pytest


def pytest_collection_modifyitems(items):
    """Every test here runs real processes under faults: `make test-quick` leaves them out."""
    for item in items:
        if "faults" in item.path.parts:
            item.add_marker(pytest.mark.faults)
