"""What the patients app tells others, without knowing who listens.

``patient_enrolled`` is sent inside the enrolment transaction with ``patient=`` and ``actor=``;
the portal uses it to invite a patient who has an email address, so ``patients`` never imports
the portal (the layers in ``.importlinter``).
"""

from django.dispatch import Signal

patient_enrolled = Signal()
