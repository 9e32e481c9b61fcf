"""Builders of FHIR resources: any stored answer becomes a valid QuestionnaireResponse item."""

from __future__ import annotations

from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponseItem
from hypothesis import given
from hypothesis import strategies as st

from interop.fhir.resources import _answer

answers = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=6,
)


@given(answers)
def test_every_answer_makes_a_valid_item(value):
    item = {"linkId": "q"}
    built = _answer(value)
    if built:
        item["answer"] = built
    QuestionnaireResponseItem.model_validate(item)
