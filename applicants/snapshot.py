"""The profile as a JSON-serialisable dict: what the eligibility check reads and what is
copied into Application.snapshot at submission (reviewers judge what was submitted)."""

from __future__ import annotations


def _iso(value):
    return value.isoformat() if value else None


def build_snapshot(profile, *, education=None, work=None, certificates=None, documents=None) -> dict:
    """`profile` should come with education, work, certificates and documents prefetched
    (applicants.selectors.profile_for_user) so this costs no query. Bulk builders (demo
    data, the benchmark dataset) pass the records they hold instead."""
    education = profile.education.all() if education is None else education
    work = profile.work.all() if work is None else work
    certificates = profile.certificates.all() if certificates is None else certificates
    documents = profile.documents.all() if documents is None else documents
    return {
        "real_name": profile.real_name,
        "id_number": profile.id_number,
        "birth_date": _iso(profile.birth_date),
        "sex": profile.sex,
        "ethnicity": profile.ethnicity,
        "political_status": profile.political_status,
        "household_province": profile.household_province,
        "household_city": profile.household_city,
        "household_district": profile.household_district,
        "household_settled_on": _iso(profile.household_settled_on),
        "address": profile.address,
        "photo": profile.photo.name if profile.photo else "",
        "education": [
            {
                "level": item.level,
                "school": item.school,
                "major": item.major,
                "graduated_on": _iso(item.graduated_on),
                "full_time": item.full_time,
            }
            for item in education
        ],
        "work": [
            {
                "employer": item.employer,
                "role": item.role,
                "started_on": _iso(item.started_on),
                "ended_on": _iso(item.ended_on),
                "community_work": item.community_work,
            }
            for item in work
        ],
        "certificates": [
            {"name": item.name, "number": item.number, "issued_on": _iso(item.issued_on)}
            for item in certificates
        ],
        "documents": [
            {"id": item.pk, "uuid": str(item.uuid), "kind": item.kind, "name": item.original_name}
            for item in documents
        ],
    }
