#!/usr/bin/env bash
# Fails when a template holds text outside {% translate %} / {% blocktranslate %}
# (scripts/check_template_strings.py), when the Python hands people a literal that is not wrapped
# in gettext (scripts/check_python_strings.py), when a wrapped string is not in the .po files, when a
# French or Spanish message is missing or fuzzy, or when a committed .mo is older than its .po.
#
# makemessages runs in a temporary copy of the tree, so the check never edits the working copy:
# a string added without running `make messages` shows up there as untranslated.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=${PY:-$ROOT/.venv/bin/python}
[[ $PY = /* ]] || PY=$ROOT/$PY
command -v msgfmt >/dev/null || { echo "gettext is needed (apt-get install gettext)"; exit 1; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - | tar -xf - -C "$TMP"
(set -f; cd "$TMP" && DJANGO_DEBUG=${DJANGO_DEBUG:-1} "$PY" manage.py makemessages $(sed -n 's/^MAKEMESSAGES_ARGS := //p' "$ROOT/Makefile") >/dev/null)

# The messages alone: layout, comments and the creation date may differ.
normalised() { msgattrib --no-obsolete --no-wrap --no-location --sort-output "$1" | grep -v -e '^"POT-Creation-Date' -e '^#'; }

status=0
# makemessages (xgettext) knows gettext, gettext_lazy, pgettext, ngettext… and _ by name only: a
# string marked through another alias ("gettext_lazy as gettext_lazy_") is never extracted.
if aliases=$(git grep -nE 'import .*\b(n|p|np)?gettext(_lazy|_noop)? as (\w+)' -- '*.py' \
    | grep -vE 'as (_|gettext|gettext_lazy|gettext_noop|pgettext|pgettext_lazy|ngettext|ngettext_lazy)\b'); then
  echo "$aliases"
  echo "  makemessages does not see strings marked through these names: import as _ or by the real name."
  status=1
fi
"$PY" scripts/check_template_strings.py --pending scripts/template_strings_pending.txt templates || status=1
"$PY" scripts/check_python_strings.py || status=1

for po in locale/*/LC_MESSAGES/django.po; do
  fresh="$TMP/$po"
  stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$fresh" 2>&1)
  echo "$po: $stats"
  if grep -Eq "fuzzy|untranslated" <<<"$stats"; then
    echo "  $po lacks translations (strings not extracted yet, missing or fuzzy): run 'make messages' and translate them."
    LC_ALL=C msgattrib --untranslated --no-obsolete "$fresh" | grep '^msgid' | head -20 || true
    LC_ALL=C msgattrib --only-fuzzy --no-obsolete "$fresh" | grep '^msgid' | head -20 || true
    status=1
  fi
  if ! diff -q <(normalised "$po") <(normalised "$fresh") >/dev/null; then
    echo "  $po holds messages the code no longer has, or lacks new ones: run 'make messages'."
    status=1
  fi
  msgfmt --check -o "$TMP/compiled.mo" "$po"
  if ! cmp -s "$TMP/compiled.mo" "${po%.po}.mo"; then
    echo "  ${po%.po}.mo is not compiled from ${po}: run 'make messages' and commit the .mo."
    status=1
  fi
done
exit $status
