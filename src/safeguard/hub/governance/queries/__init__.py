"""Reading the review (see each module): the catalogue, the overview, a recommendation with
its assessments and actions, the actions lists (`review`), and the Ofsted register
(`ofsted`). Reads only: the services ask the policy and audit first."""

from safeguard.hub.governance.queries.ofsted import Council, register
from safeguard.hub.governance.queries.review import (
    VIEWS,
    ActionLine,
    AssessmentView,
    Overview,
    RecommendationView,
    Row,
    action_line,
    actions,
    agencies_for,
    agency_label,
    catalogue,
    counts,
    day,
    due_at,
    overdue_actions,
    overview,
    owner,
    owners,
    recommendation_view,
    visible_action,
    visible_assessment,
)

__all__ = [
    "VIEWS",
    "ActionLine",
    "AssessmentView",
    "Council",
    "Overview",
    "RecommendationView",
    "Row",
    "action_line",
    "actions",
    "agencies_for",
    "agency_label",
    "catalogue",
    "counts",
    "day",
    "due_at",
    "overdue_actions",
    "overview",
    "owner",
    "owners",
    "recommendation_view",
    "register",
    "visible_action",
    "visible_assessment",
]
