"""Where the time of one admission-ticket request goes, part by part, in-process.

DATABASE_URL=... python bench/ticket_parts.py [N]   (after bench/run.sh built the dataset)

Times, for a ticket holder of the dataset with a photo and one without (median ms of N
warm repetitions, after one cold call whose time is printed apart):
the CJK font's registration (once per process: the first PDF a worker makes pays it), the
ticket and its plan read (exams.selectors.tickets.own_ticket), the sessions and the data the
renderer takes (ticket_data, which reads the photo file), the QR token (django.core.signing),
the QR matrix (segno), the photo decoded for the PDF (ImageReader), the whole PDF rendered
(exams.documents.render_ticket), the digest of the ticket's content and the stored PDF read
back (exams.selectors.tickets.ticket_pdf, after the speed work), the first print recorded (an
UPDATE), and the whole view through the test client (middleware, session, the role check),
for a first download (nothing stored) and again. Sizes of the PDF too.
"""

import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

from exams.models import Ticket  # noqa: E402


def timed(count, func):
    started = time.perf_counter()
    result = func()
    cold = (time.perf_counter() - started) * 1000
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        func()
        timings.append((time.perf_counter() - started) * 1000)
    return result, cold, statistics.median(timings)


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    from portal import pdf

    started = time.perf_counter()
    font_name = pdf.cjk_font()
    font_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    pdf.cjk_font()
    again_ms = (time.perf_counter() - started) * 1000
    print(
        f"CJK font registered ({font_name}): {font_ms:.1f} ms the first time in a process, {again_ms:.3f} ms after"
    )

    from exams.documents import render_ticket
    from exams.selectors import tickets as selectors
    from exams.services.tickets import ticket_record_print
    from exams.tokens import ticket_token

    tickets = list(
        Ticket.objects.filter(announcement__title__contains="准考证打印")
        .select_related("application__applicant")
        .order_by("pk")[:20]
    )
    with_photo = next(t for t in tickets if t.application.snapshot.get("photo"))
    without = next(t for t in tickets if not t.application.snapshot.get("photo"))
    print(
        f"{'part (median of ' + str(count) + ', ms)':<46} {'photo':>9} {'no photo':>9}   (cold: photo / no photo)"
    )
    rows: dict[str, list] = {}
    sizes = {}
    for ticket in (with_photo, without):
        user = ticket.application.applicant
        pk = ticket.application_id
        own, cold, warm = timed(count, lambda u=user, p=pk: selectors.own_ticket(u, p))
        rows.setdefault("ticket, application, plan read (own_ticket)", []).append((warm, cold))
        token, cold, warm = timed(
            count, lambda o=own: ticket_token(announcement_id=o.announcement_id, ticket_number=o.number)
        )
        rows.setdefault("QR token signed", []).append((warm, cold))
        import segno

        _qr, cold, warm = timed(
            count, lambda t=token: segno.make(t, error="m", micro=False, boost_error=False)
        )
        rows.setdefault("QR matrix (segno)", []).append((warm, cold))
        from recruitment.markdown import render_markdown

        plan = own.room.venue.plan
        _html, cold, warm = timed(count, lambda p=plan: render_markdown(p.rules_text))
        rows.setdefault("  of which: the rules' Markdown rendered", []).append((warm, cold))
        _photo, cold, warm = timed(count, lambda a=own.application: selectors.snapshot_photo(a.snapshot))
        rows.setdefault("  of which: the photo file read", []).append((warm, cold))
        data, cold, warm = timed(count, lambda o=own, t=token: selectors.ticket_data(o, qr_payload=t))
        rows.setdefault("sessions, rules, photo file read (ticket_data)", []).append((warm, cold))
        _reader, cold, warm = timed(count, lambda d=data: pdf.image_reader(d.photo))
        rows.setdefault("photo decoded for the PDF (ImageReader)", []).append((warm, cold))
        body, cold, warm = timed(count, lambda d=data: render_ticket(d))
        rows.setdefault("PDF rendered (render_ticket, all of it)", []).append((warm, cold))
        sizes["photo" if data.photo else "no photo"] = len(body)
        if hasattr(selectors, "ticket_pdf"):  # the stored rendering (after the speed work)
            _digest, cold, warm = timed(count, lambda d=data: selectors.ticket_digest(d))
            rows.setdefault("digest of what it prints (ticket_digest)", []).append((warm, cold))
            selectors.ticket_pdf(own)
            _body, cold, warm = timed(count, lambda o=own: selectors.ticket_pdf(o))
            rows.setdefault("again: stored PDF (ticket_pdf, ticket_data incl.)", []).append((warm, cold))
        _t, cold, warm = timed(count, lambda o=own: ticket_record_print(ticket=o))
        rows.setdefault("print recorded (UPDATE, refresh)", []).append((warm, cold))
        client = Client()
        client.force_login(user)
        url = f"/exams/applications/{pk}/ticket.pdf"
        if hasattr(selectors, "ticket_pdfs_purge"):

            def first(c=client, u=url, a=own.announcement_id):
                selectors.ticket_pdfs_purge(a)  # nothing stored: a first download
                return c.get(u)

            response, cold, warm = timed(count, first)
            assert response.status_code == 200, response.status_code
            rows.setdefault("the whole view, first download (test client)", []).append((warm, cold))
        response, cold, warm = timed(count, lambda c=client, u=url: c.get(u))
        assert response.status_code == 200, response.status_code
        rows.setdefault("the whole view, again (test client)", []).append((warm, cold))
    order = list(rows)
    for sub in ("  of which: the rules' Markdown rendered", "  of which: the photo file read"):
        order.remove(sub)
        order.insert(order.index("sessions, rules, photo file read (ticket_data)") + 1, sub)
    for name in order:
        (warm_a, cold_a), (warm_b, cold_b) = rows[name]
        print(f"{name:<46} {warm_a:>9.2f} {warm_b:>9.2f}   ({cold_a:.1f} / {cold_b:.1f})")
    print("PDF bytes: " + ", ".join(f"{kind} {size:,}" for kind, size in sizes.items()))


if __name__ == "__main__":
    main()
