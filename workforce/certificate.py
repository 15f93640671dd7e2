"""The training certificate (结业证书) PDF, in the portal's embedded CJK font."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer

from portal.pdf import document_info, para, styles


def render_certificate(
    *, name: str, programme: str, kind: str, hours, number: str, issuer: str, issued_on
) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=landscape(A4), leftMargin=30 * mm, rightMargin=30 * mm, topMargin=30 * mm
    )
    document_info(doc, title=_("培训结业证书"), subject=programme)
    s = styles()
    story = [
        para(_("培训结业证书"), s["title"]),
        Spacer(1, 10 * mm),
        para(
            _("%(name)s同志参加%(programme)s（%(kind)s），完成培训%(hours)s学时，考核合格，准予结业。")
            % {"name": name, "programme": programme, "kind": kind, "hours": hours},
            s["body"],
        ),
        Spacer(1, 20 * mm),
        para(_("证书编号：%(number)s") % {"number": number}, s["small"]),
        para(issuer, s["body"]),
        para(issued_on.strftime("%Y-%m-%d"), s["body"]),
    ]
    doc.build(story)
    return out.getvalue()
