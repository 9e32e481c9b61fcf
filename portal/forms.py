from django.contrib.auth.forms import SetPasswordForm


class ChoosePasswordForm(SetPasswordForm):
    """Django's password form with its validators; the user is the invited patient."""
