"""exams.rules models (issue 17)."""
