"""Route kwargs for the route-scoping test: every questionnaire lies in town A's subtree."""

from tests.surveys.factories import make_questionnaire


def _draft(world):
    return {"pk": make_questionnaire(world, publish=False).pk}


def _open(world):
    return {"pk": make_questionnaire(world).pk}


def _question(world):
    q = make_questionnaire(world, publish=False)
    return {"pk": q.pk, "qid": q.questions.order_by("order").first().pk}


ROUTE_KWARGS = {
    "surveys:detail": _draft,
    "surveys:edit": _draft,
    "surveys:question_add": _draft,
    "surveys:question_delete": _question,
    "surveys:question_up": _question,
    "surveys:publish": _draft,
    "surveys:close": _open,
    "surveys:results": _open,
    "surveys:results_export": _open,
    "surveys:responses_export": _open,
    "surveys:answer": _open,
}
ROUTE_OWNERS = {"surveys:answer": "resident_a"}
