from tests.programme.conftest import block, make_valid_film, staff_user  # noqa: F401
