"""exams.shortlist models (issue 17)."""
