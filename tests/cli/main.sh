#!/bin/sh
# The front end: help, version, unknown commands, and that each man page's
# SYNOPSIS is the first line of the command's --help.
set -u
T=${TEXTLOC:-build/textloc}
fail=0
check() { if eval "$2"; then :; else echo "FAIL: $1"; fail=1; fi; }

check "--version prints the version" '"$T" --version | grep -q "^textloc [0-9]"'
check "--help lists commands" '"$T" --help | grep -q "^  convert"'
"$T" frobnicate >/dev/null 2>&1; rc=$?
check "unknown command exits 2" '[ $rc -eq 2 ]'
"$T" >/dev/null 2>&1; rc=$?
check "no command exits 2" '[ $rc -eq 2 ]'

# roff SYNOPSIS -> plain text: drop font escapes and macros, unescape \- .
norm() { sed -e 's/\\f[BIRP]//g' -e 's/\\-/-/g' -e 's/^\.[BIR][RIB]* //' -e 's/^usage: //' \
	-e 's/[[:space:]][[:space:]]*/ /g' -e 's/^ //' -e 's/ $//'; }
for cmd in $("$T" --help | sed -n 's/^  \([a-z]*\) .*/\1/p'); do
	man=man/textloc-$cmd.1
	[ -f "$man" ] || { echo "FAIL: $man missing"; fail=1; continue; }
	want=$(sed -n '/^\.SH SYNOPSIS/{n;p;q}' "$man" | norm)
	got=$("$T" "$cmd" --help 2>&1 | head -n 1 | norm)
	check "$cmd: --help first line matches $man SYNOPSIS ('$got' vs '$want')" '[ "$got" = "$want" ]'
	helprc=0; "$T" help "$cmd" >/dev/null 2>&1 || helprc=$?
	check "textloc help $cmd exits 0" '[ $helprc -eq 0 ]'
done
[ -f man/textloc.1 ] || { echo "FAIL: man/textloc.1 missing"; fail=1; }
exit $fail
