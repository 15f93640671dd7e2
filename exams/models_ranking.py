"""exams.ranking models (issue 17)."""
