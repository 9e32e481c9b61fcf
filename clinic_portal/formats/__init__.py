"""The portal's own date formats per language (FORMAT_MODULE_PATH), over Django's locale formats.

Templates name a format (``|date:"DATE_FORMAT"``) instead of spelling one, so each language writes
a day its own way: "7 Dec 2026", "7 déc. 2026", "7 dic 2026". Numbers need nothing here: Django's
locale formats already give French and Spanish a decimal comma ("1,5").
"""
