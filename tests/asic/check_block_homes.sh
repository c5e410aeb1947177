#!/bin/sh
# Issue 9's check that anyone can run: asic/ composes blocks and implements none of them.
# No file in asic/ serves a packet on a block's resource (bw_server_offer, the arbiters'
# arrive/dispatch/credit calls, lookup_offer) or handles a slice / port-group event kind
# (case SLICE_EV_* / case PG_EV_*, or a function named like a block handler); pfe/ and
# portgroup/ each have a header stating their block's contract.
# usage: check_block_homes.sh REPO_ROOT
root=${1:-.}
bad=$(grep -nE 'bw_server_offer|ingress_arb_(arrive|dispatch|credit_return)|lookup_offer|case (SLICE|PG)_EV_|^(static )?[a-z_0-9]+ \*?[a-z_]*(pg|port|slice)_(in|out|arrive|forward|handle|rx|tx|send)[a-z_]*\(' \
  "$root"/asic/*.c "$root"/asic/*.cpp "$root"/asic/*.h)
if [ -n "$bad" ]; then
  echo "block handler code in asic/:"; echo "$bad"; exit 1
fi
for h in pfe/slice.h portgroup/portgroup.h portgroup/pg_attach.h; do
  grep -q 'Block contract\|Block attachment point' "$root/$h" || { echo "$h: no block contract"; exit 1; }
  for w in 'Accepts\|offered' 'Emits\|hands a packet' 'drop'; do
    grep -qi "$w" "$root/$h" || { echo "$h: contract does not state '$w'"; exit 1; }
  done
done
echo "asic/ defines no slice, port or PG handler; pfe/ and portgroup/ state their contracts"
