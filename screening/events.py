"""What the screening app tells others, without knowing who listens.

``screening_signed`` is sent inside the signing transaction with ``screening=`` the signed row
and ``today=`` the clinic's day the signer acted on;
the follow-up app uses it to hold a planned course or alert on an active one when a newer
screening is contraindicated (docs/clinical-rules.md, "During therapy").
"""

from django.dispatch import Signal

screening_signed = Signal()
