/* The record target: td_target "record" (harness/peer/td_target.c): any
 * message of the peer's flights (td_target_variant) split across records
 * or preceded by extra records (CCS, alerts, unknown content types,
 * empty and over-long ones, protected or not: td_peer_run,
 * td_edit_mutate_record). */
#include "td_fuzz_diff.h"

TD_FUZZ_DIFF_TARGET("record")
