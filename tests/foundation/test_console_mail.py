import io

from django.core.mail import EmailMessage

from clinic_portal.core.console_mail import EmailBackend

LINK = "http://127.0.0.1:8123/invite/eyJpZCI6MTIzNDU2Nzg5MH0:1vPabc:" + "x" * 80 + "=/"


def test_console_emails_are_printed_decoded_so_links_can_be_clicked():
    stream = io.StringIO()
    message = EmailMessage(
        subject="Your invitation — Riverside portal",
        body=f"Hello Rosa — choose your password here (the link works once):\n{LINK}\n",
        from_email="Riverside <no-reply@clinic.invalid>",
        to=["rosa@test.clinic.invalid"],
    )
    EmailBackend(stream=stream).send_messages([message])
    printed = stream.getvalue()
    assert LINK in printed.splitlines()  # whole, on its own line, no =3D or soft breaks
    assert "Subject: Your invitation — Riverside portal" in printed
    assert "To:      rosa@test.clinic.invalid" in printed
