#!/usr/bin/env bash
# ticketd installed: --version names the libraries; without --data
# the installed ticketd serves the installed sample data.
# PREFIX is the one $BUILD was compiled for, as in install.t: installing
# rebuilds nothing in the shared build directory.
. "$(dirname "$0")/../lib.sh"
unset MAKEFLAGS MFLAGS MAKELEVEL
datadir=$(cat "$BUILD/datadir.stamp" 2>/dev/null || echo /usr/local/share/ticketed)
prefix=${datadir%/share/ticketed}
[ "$prefix" = "$datadir" ] && prefix=/usr/local
ROOT=$T_TMP/root
make --no-print-directory -C "$TOP" BUILD="$BUILD" PREFIX="$prefix" DESTDIR="$ROOT" install >"$T_TMP/log" 2>&1
check_eq "make install exits 0" 0 "$?"
"$TICKETD" --version >"$T_TMP/v" 2>&1
check_eq "ticketd --version exits 0" 0 "$?"
check "ticketd --version: own version, libmicrohttpd, cJSON" \
  bash -c "grep -q '^ticketd [0-9]' '$T_TMP/v' && grep -q '^libmicrohttpd [0-9]' '$T_TMP/v' && grep -q '^cJSON [0-9]' '$T_TMP/v'"
TICKETD=$ROOT$prefix/bin/ticketd start_ticketd
check "installed ticketd without --data serves the installed sample data" \
  grep -q '"TicketId": *900' <(curl -s "$TD_URL/Ticket/900")
n=$(ls "$ROOT$prefix/share/ticketed/service/tickets/"*.json | wc -l)
check "... all $n installed tickets" grep -q "($n tickets)" "$TD_LOG.stderr"
