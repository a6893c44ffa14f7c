"""The people pages, one room per audience: the public's registration (sign_up), staff's desk
(desk, returning_desk, data_retention), spreadsheets and data exports (transfers), the teen's
own space (my_space) and the guardian's page (guardian). One blueprint, `people`."""

from festival.people.views import (  # noqa: F401 - each module registers its routes on bp
    data_retention,
    desk,
    guardian,
    my_space,
    returning_desk,
    sign_up,
    transfers,
)
from festival.people.views.blueprint import bp

__all__ = ["bp"]
