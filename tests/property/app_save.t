#!/usr/bin/env bash
# Property test of the save invariants against a real ticketd: >= 2,000
# random sequences of user edits, a colleague's PATCHes, s, R, Esc with a
# request in flight, conflict choices (m/t/e), lost answers, server errors
# and restarts through the draft, driven by tests/tools/app_prop.c with the
# editor's own model, save machine, drafts and api client. After every step:
#   - nothing the user did not choose replaces a value the server changed;
#   - an edit is sent again only after a re-read showed it is not on the server;
#   - every edit is on the server, in the form and in the draft;
# and at the end of each sequence every wanted value is on ticketd.
# Replay with APP_PROP_SEED=N (APP_PROP_COUNT=N; APP_PROP_ONLY=K runs
# sequence K alone and prints its steps on failure).
. "$(dirname "$0")/../lib.sh"
seed=$(prop_seed APP_PROP_SEED)
count=${APP_PROP_COUNT:-2000}
show "seed $seed (replay: APP_PROP_SEED=$seed)"
prop=$BUILD/tools/app_prop
if [ ! -x "$prop" ]; then not_ok "app_prop built ($prop)"; exit 1; fi
start_ticketd || { not_ok "ticketd started"; exit 1; }
# Restarts journal a draft each (fsync'd files): on tmpfs when there is one,
# so the figure is about the machine, not the disk.
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
  XDG_STATE_HOME=$(mktemp -d /dev/shm/ticketed-prop.XXXXXX)
  at_exit "rm -rf '$XDG_STATE_HOME'"
  export XDG_STATE_HOME
fi
only=()
[ -n "${APP_PROP_ONLY:-}" ] && only=(--only "$APP_PROP_ONLY")
# Custom fields are replaced, never added (every defined one is always in
# CustomFields, as on a tenant): every change is guarded by a test.
"$prop" --url "$TD_URL" --ticket 906 --seed "$seed" --count "$count" "${only[@]}" \
  >"$T_TMP/counts" 2>"$T_TMP/err"; rc=$?
if [ $rc -eq 0 ]; then
  ok "the save invariants hold over $count random sequences (seed $seed)"
else
  not_ok "the save invariants hold over $count random sequences (seed $seed)"
  head -c 12000 "$T_TMP/err" | sed 's/^/#   /'
fi
n() { awk -v k="$1" '$1 == "count" && $2 == k { print $3 }' "$T_TMP/counts"; }
show "$(n sequences) sequences, $(n steps) steps: $(n patches_sent) PATCHes ($(n patches_sent_after_reread) after a re-read), $(n answers_409) 409s, $(n answers_412) 412s, $(n clashes_opened) conflicts (m $(n chose_mine), t $(n chose_theirs), e $(n chose_edited)), $(n merged_already_there) already there"
show "faults: $(n fault_drop_after_apply) drops after apply, $(n fault_drop_before_apply) before, $(n fault_html_500_after_apply) HTML 500s, $(n fault_garbage_200_after_apply) broken 200s, $(n fault_500_before_apply) 500s, $(n fault_403_refused) 403s; $(n esc_in_flight) Esc in flight ($(n esc_after_applied) applied anyway), $(n restarts) restarts ($(n drafts_restored) drafts restored, $(n saved_and_quit) after q s)"
# A run that never met a conflict, a lost answer or a restore proves nothing.
if [ -z "${APP_PROP_ONLY:-}" ] && [ $rc -eq 0 ]; then
  for k in answers_409 answers_412 clashes_opened chose_mine chose_theirs chose_edited merged_already_there \
           patches_sent_after_reread s_refused_conflict_open esc_after_applied drafts_restored \
           fault_drop_after_apply fault_drop_before_apply fault_html_500_after_apply \
           fault_garbage_200_after_apply fault_500_before_apply fault_403_refused edits_of_rows_in_conflict \
           saved_and_quit; do
    v=$(n "$k")
    if [ "${v:-0}" -gt 0 ]; then :; else not_ok "the sequences exercised $k (got ${v:-none})"; missing=1; fi
  done
  [ -z "${missing:-}" ] && ok "the sequences met conflicts (409, 412, m/t/e), lost answers, server errors, Esc in flight and draft restores"
fi
