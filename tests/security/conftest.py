from tests.films.conftest import film, staff_headers, team, tus_as  # noqa: F401
from tests.programme.conftest import block, make_valid_film, staff_user  # noqa: F401
