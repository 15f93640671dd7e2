"""exams.interview models (issue 17)."""
