/* The new_session_ticket target: td_target "new_session_ticket" (harness/peer/td_target.c). */
#include "td_fuzz_diff.h"

TD_FUZZ_DIFF_TARGET("new_session_ticket")
