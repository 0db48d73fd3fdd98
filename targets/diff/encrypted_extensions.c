/* The encrypted_extensions target: td_target "encrypted_extensions" (harness/peer/td_target.c). */
#include "td_fuzz_diff.h"

TD_FUZZ_DIFF_TARGET("encrypted_extensions")
