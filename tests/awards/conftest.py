from tests.films.conftest import film, staff_headers, team, tus_as  # noqa: F401
