/* The flight target: td_target "flight" (harness/peer/td_target.c): any
 * message of the peer's flights (td_target_variant) skipped, repeated,
 * reordered, merged or preceded by injected messages (td_peer_run,
 * td_edit_mutate_flight), in the manner of the SMACK and SKIP-TLS
 * state-machine attacks. */
#include "td_fuzz_diff.h"

TD_FUZZ_DIFF_TARGET("flight")
