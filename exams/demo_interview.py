"""Demo: an announcement past its interviews, with a confirmed ranking (issue 17)."""


def seed(stdout):
    pass
