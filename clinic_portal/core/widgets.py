from django import forms


class DateInput(forms.DateInput):
    """The browser's own date picker, with the ISO value it expects."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DecimalInput(forms.TextInput):
    """A number typed the way the reader's language writes it ("1,5" in French): a text box that
    asks phones for the decimal keypad, since a number input refuses a decimal comma."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})


class LocalizedDecimalField(forms.DecimalField):
    """A decimal field that shows and accepts the active language's decimal separator."""

    widget = DecimalInput

    def __init__(self, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        # A text box: the number input's step/min/max attributes mean nothing to it.
        return {
            key: value
            for key, value in super().widget_attrs(widget).items()
            if key not in {"step", "min", "max"}
        }
