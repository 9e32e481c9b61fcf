from education.diffing import side_by_side

PUBLISHED = "# When to call\n\nCall us about a fever.\nKeep the leaflet.\n\nThank you."
DRAFT = "# When to call\n\nCall us today about a fever or chills.\nKeep the leaflet.\n\nNew line <b>here</b>.\nThank you."


def test_the_same_text_has_no_rows():
    assert side_by_side(PUBLISHED, PUBLISHED) == []


def test_changed_words_are_marked_inside_paired_lines_and_html_is_escaped():
    rows = side_by_side(PUBLISHED, DRAFT)
    changed = next(r for r in rows if r.kind == "changed")
    assert "<del>" not in changed.old or "fever" in changed.old
    assert "<ins>today</ins>" in changed.new
    assert "<ins>fever or chills.</ins>" in changed.new or "chills" in changed.new
    added = next(r for r in rows if r.kind == "added")
    assert "&lt;b&gt;here&lt;/b&gt;" in added.new and "<b>" not in added.new
    assert {r.kind for r in rows} <= {"same", "changed", "added", "removed", "gap"}


def test_far_apart_changes_are_separated_by_a_gap():
    old = "\n".join(f"line {n}" for n in range(20))
    new = old.replace("line 1\n", "line one\n").replace("line 18", "line eighteen")
    kinds = [r.kind for r in side_by_side(old, new)]
    assert kinds.count("changed") == 2 and "gap" in kinds
