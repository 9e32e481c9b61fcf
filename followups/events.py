"""What the follow-up app tells others, without knowing who listens.

``course_started`` is sent inside the start transaction with ``therapy=`` the new course and
``actor=`` who started it; the education app uses it to assign the starter pages, so follow-ups
never imports education (the layers in ``.importlinter``).
"""

from django.dispatch import Signal

course_started = Signal()
