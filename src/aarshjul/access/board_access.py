"""Who sees the executive board's dashboard (*direktionens overblik*) and where one lands.

The dashboard (``/board``) is for the ``direktion`` and ``planning`` roles; anyone else signed in
is refused (HTTP 403). A ``direktion`` member who signs in lands on it; everyone else on
"my tasks".
"""

from __future__ import annotations

from sqlmodel import Session

from aarshjul.access.permissions import Viewer
from aarshjul.errors import PermissionDenied
from aarshjul.models.base import Role
from aarshjul.models.organisation import Person
from aarshjul.models.queries import roles_of

BOARD_ROLES = frozenset({Role.direktion.value, Role.planning.value})


def may_see_board(viewer: Viewer | None) -> bool:
    """True for a signed-in ``direktion`` or ``planning`` member."""
    return viewer is not None and bool(viewer.roles & BOARD_ROLES)


def check_may_see_board(viewer: Viewer) -> None:
    """Raise :class:`PermissionDenied` unless ``viewer`` may see the dashboard."""
    if not may_see_board(viewer):
        raise PermissionDenied("the board's dashboard is for the direktion and planning roles")


def landing_page(session: Session, person: Person) -> str:
    """Where ``person`` lands after signing in: ``/board`` for the direktion, else ``/tasks``."""
    assert person.id is not None
    return "/board" if Role.direktion.value in roles_of(session, person.id) else "/tasks"
